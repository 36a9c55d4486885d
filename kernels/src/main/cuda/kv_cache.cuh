// Writes into the paged key/value cache. Each layer's K pool and V pool are float32
// [blocks · blockSize][kvDim]; the host computes each row's slot (block · blockSize + offset).
#pragma once

#include "common.cuh"

// K and V of row r go to slot slots[r]. One block per row.
CASCADE_KERNEL void write_kv(const float* k, int kStride, const float* v, int vStride, const int* slots,
                             float* kCache, float* vCache, int kvDim) {
    long long slot = (long long)slots[blockIdx.x] * kvDim;
    const float* kr = k + (long long)blockIdx.x * kStride;
    const float* vr = v + (long long)blockIdx.x * vStride;
    for (int i = threadIdx.x; i < kvDim; i += blockDim.x) {
        kCache[slot + i] = kr[i];
        vCache[slot + i] = vr[i];
    }
}
