// Token embedding lookup: out[r] = table[tokens[r]] as float32. One block per row.
#pragma once

#include "common.cuh"

template <typename T>
__device__ __forceinline__ void embed(const T* table, const int* tokens, float* out, int outStride, int dim) {
    const T* row = table + (long long)tokens[blockIdx.x] * dim;
    float* o = out + (long long)blockIdx.x * outStride;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        o[i] = to_float<T>(row[i]);
    }
}

CASCADE_KERNEL void embed_f32(const float* table, const int* tokens, float* out, int outStride, int dim) {
    embed(table, tokens, out, outStride, dim);
}
CASCADE_KERNEL void embed_f16(const __half* table, const int* tokens, float* out, int outStride, int dim) {
    embed(table, tokens, out, outStride, dim);
}
CASCADE_KERNEL void embed_bf16(const __nv_bfloat16* table, const int* tokens, float* out, int outStride, int dim) {
    embed(table, tokens, out, outStride, dim);
}
