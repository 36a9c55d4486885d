// Conversions: weights to the dtype the matrix products read, once at load, and float32
// activations to BF16/F16 just before a matrix product.
#pragma once

#include "common.cuh"

template <typename In, typename Out>
__device__ __forceinline__ void convert(const In* in, Out* out, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[i] = from_float<Out>(to_float<In>(in[i]));
    }
}

CASCADE_KERNEL void convert_f32_to_bf16(const float* in, __nv_bfloat16* out, long long n) { convert(in, out, n); }
CASCADE_KERNEL void convert_f32_to_f16(const float* in, __half* out, long long n) { convert(in, out, n); }
CASCADE_KERNEL void convert_f16_to_f32(const __half* in, float* out, long long n) { convert(in, out, n); }
CASCADE_KERNEL void convert_bf16_to_f32(const __nv_bfloat16* in, float* out, long long n) { convert(in, out, n); }

// ggml Q8_0: blocks of 34 bytes, an F16 scale then 32 int8 values; value j of a block is
// scale * q[j]. One thread per value; `blocks` blocks back to back.
template <typename Out>
__device__ __forceinline__ void dequantize_q8_0(const uint8_t* in, Out* out, long long blocks) {
    GRID_STRIDE_LOOP(i, blocks * 32) {
        const uint8_t* block = in + (i >> 5) * 34;
        out[i] = from_float<Out>(f16_at(block) * (float)(int8_t)block[2 + (i & 31)]);
    }
}

// ggml Q4_0: blocks of 18 bytes, an F16 scale then 16 bytes; value j < 16 is the low nibble of
// byte j and value j + 16 its high nibble, each stored plus 8.
template <typename Out>
__device__ __forceinline__ void dequantize_q4_0(const uint8_t* in, Out* out, long long blocks) {
    GRID_STRIDE_LOOP(i, blocks * 32) {
        const uint8_t* block = in + (i >> 5) * 18;
        int j = (int)(i & 31);
        int packed = block[2 + (j & 15)];
        int q = j < 16 ? (packed & 0x0f) : (packed >> 4);
        out[i] = from_float<Out>(f16_at(block) * (float)(q - 8));
    }
}

CASCADE_KERNEL void dequantize_q8_0_to_bf16(const uint8_t* in, __nv_bfloat16* out, long long blocks) {
    dequantize_q8_0(in, out, blocks);
}
CASCADE_KERNEL void dequantize_q8_0_to_f32(const uint8_t* in, float* out, long long blocks) {
    dequantize_q8_0(in, out, blocks);
}
CASCADE_KERNEL void dequantize_q4_0_to_bf16(const uint8_t* in, __nv_bfloat16* out, long long blocks) {
    dequantize_q4_0(in, out, blocks);
}
CASCADE_KERNEL void dequantize_q4_0_to_f32(const uint8_t* in, float* out, long long blocks) {
    dequantize_q4_0(in, out, blocks);
}

// out[r][c] = in[r * inStride + c] for c < cols: the packed half-precision right-hand side of a
// matrix product, made from rows of float32 activations.
template <typename Out>
__device__ __forceinline__ void rows_to(const float* in, int inStride, Out* out, int rows, int cols) {
    GRID_STRIDE_LOOP(i, (long long)rows * cols) {
        long long r = i / cols;
        long long c = i - r * cols;
        out[i] = from_float<Out>(in[r * inStride + c]);
    }
}

CASCADE_KERNEL void rows_f32_to_bf16(const float* in, int inStride, __nv_bfloat16* out, int rows, int cols) {
    rows_to(in, inStride, out, rows, cols);
}
CASCADE_KERNEL void rows_f32_to_f16(const float* in, int inStride, __half* out, int rows, int cols) {
    rows_to(in, inStride, out, rows, cols);
}
