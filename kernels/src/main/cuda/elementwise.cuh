// Element-wise kernels over float32 activations.
#pragma once

#include "common.cuh"

// residual[i] += delta[i].
CASCADE_KERNEL void add_in_place(float* residual, const float* delta, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        residual[i] += delta[i];
    }
}

// x[r * stride + i] += bias[i] for i < n.
CASCADE_KERNEL void add_bias(float* x, int stride, const float* bias, int rows, int n) {
    GRID_STRIDE_LOOP(j, (long long)rows * n) {
        long long r = j / n;
        long long i = j - r * n;
        x[r * stride + i] += bias[i];
    }
}

// gate[i] = silu(gate[i]) · up[i] = gate[i] / (1 + e^-gate[i]) · up[i]. expf, not __expf: the
// fast one is off by several ulps, and the CPU backend's exp is accurate.
CASCADE_KERNEL void silu_mul(float* gate, const float* up, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        float g = gate[i];
        gate[i] = g / (expf(-g) + 1.f) * up[i];
    }
}

// out[i] = x[rowIndex[i]] for i < count rows of `width` floats. One block per gathered row.
CASCADE_KERNEL void gather_rows(const float* x, int width, const int* rowIndex, float* out) {
    const float* src = x + (long long)rowIndex[blockIdx.x] * width;
    float* dst = out + (long long)blockIdx.x * width;
    for (int i = threadIdx.x; i < width; i += blockDim.x) {
        dst[i] = src[i];
    }
}
