// Helpers every Cascade kernel shares: the export macro, reductions, number conversions.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

// Plain C names, so the Java side finds each kernel by the name it is written under.
#define CASCADE_KERNEL extern "C" __global__

// Index and stride of a grid-stride loop over n elements (n may exceed 2^31).
#define GRID_STRIDE_LOOP(i, n)                                                                \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);             \
         i += (long long)gridDim.x * blockDim.x)

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    }
    return v;
}

// The sum of v over the block, returned to every thread. Blocks are whole warps (the host
// launches multiples of 32 threads). The order of additions depends only on the block size,
// so a row's result never depends on the other rows of the batch. scratch: 32 floats of
// shared memory, reusable right after the call returns.
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    v = warp_sum(v);
    __syncthreads();  // an earlier call's readers are done with scratch
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    int warps = blockDim.x >> 5;
    v = lane < warps ? scratch[lane] : 0.f;
    return warp_sum(v);
}

template <typename T> __device__ __forceinline__ float to_float(T v);
template <> __device__ __forceinline__ float to_float<float>(float v) { return v; }
template <> __device__ __forceinline__ float to_float<__half>(__half v) { return __half2float(v); }
template <> __device__ __forceinline__ float to_float<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T> __device__ __forceinline__ T from_float(float v);
template <> __device__ __forceinline__ float from_float<float>(float v) { return v; }
template <> __device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float v) {
    return __float2bfloat16_rn(v);
}
// F16 saturates at its largest finite value: an activation beyond F16's range entering an F16
// matrix product becomes ±65504 rather than infinity (which would turn the product into NaN).
// NaN fails the comparison and stays NaN.
template <> __device__ __forceinline__ __half from_float<__half>(float v) {
    return __float2half_rn(fabsf(v) > 65504.f ? copysignf(65504.f, v) : v);
}

// A little-endian F16 stored at an even byte offset (the scale of a ggml Q8_0/Q4_0 block).
__device__ __forceinline__ float f16_at(const uint8_t* p) {
    return __half2float(__ushort_as_half((unsigned short)(p[0] | (p[1] << 8))));
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}
