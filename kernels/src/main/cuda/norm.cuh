// RMSNorm, out = x · gain / sqrt(mean(x²) + eps), and its fused residual form. One block per row;
// rows are [rows][dim] float32, back to back.
#pragma once

#include "common.cuh"

// 1 / sqrt(ss / dim + eps) in double, as the CPU backend computes it.
__device__ __forceinline__ float inverse_rms(float sumOfSquares, int dim, float eps) {
    return (float)(1.0 / sqrt((double)sumOfSquares / dim + (double)eps));
}

CASCADE_KERNEL void rms_norm(const float* x, const float* gain, float* out, int dim, float eps) {
    __shared__ float scratch[32];
    const float* row = x + (long long)blockIdx.x * dim;
    float* o = out + (long long)blockIdx.x * dim;
    float ss = 0.f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        float v = row[i];
        ss = fmaf(v, v, ss);
    }
    float inv = inverse_rms(block_sum(ss, scratch), dim, eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        o[i] = row[i] * inv * gain[i];
    }
}

// residual += delta, then out = rmsnorm(residual) · gain: one pass over the residual for the add
// and the sum of squares. Each thread reads back only the elements it wrote itself.
CASCADE_KERNEL void add_rms_norm(float* residual, const float* delta, const float* gain, float* out, int dim,
                                 float eps) {
    __shared__ float scratch[32];
    float* row = residual + (long long)blockIdx.x * dim;
    const float* d = delta + (long long)blockIdx.x * dim;
    float* o = out + (long long)blockIdx.x * dim;
    float ss = 0.f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        float v = row[i] + d[i];
        row[i] = v;
        ss = fmaf(v, v, ss);
    }
    float inv = inverse_rms(block_sum(ss, scratch), dim, eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        o[i] = row[i] * inv * gain[i];
    }
}
