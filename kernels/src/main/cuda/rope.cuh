// Rotary position embedding of the query and key heads of every row, in place.
#pragma once

#include "common.cuh"

// Pair i of a head turns by position · freq[i] (the host's frequencies, Llama 3 scaling already
// applied). The angle and its sine and cosine are computed in double and rounded to float, as
// the CPU backend's tables are; the rotation itself is rounded after each product, as the CPU
// computes it (no fused multiply-add), so both backends turn a head by the same bits.
// interleaved != 0: pair i is (2i, 2i + 1) (GGUF, llama2.c); otherwise (i, i + headDim/2)
// (Hugging Face). One block per row; a thread per pair of a head.
CASCADE_KERNEL void rope(float* q, int qStride, float* k, int kStride, const int* positions, const double* freq,
                         int heads, int kvHeads, int headDim, int interleaved) {
    int half = headDim / 2;
    int pairs = (heads + kvHeads) * half;
    double position = (double)positions[blockIdx.x];
    float* qRow = q + (long long)blockIdx.x * qStride;
    float* kRow = k + (long long)blockIdx.x * kStride;
    for (int p = threadIdx.x; p < pairs; p += blockDim.x) {
        int h = p / half;
        int i = p - h * half;
        float* head = h < heads ? qRow + h * headDim : kRow + (h - heads) * headDim;
        double s;
        double c;
        sincos(position * freq[i], &s, &c);
        float sinf_ = (float)s;
        float cosf_ = (float)c;
        int a = interleaved ? 2 * i : i;
        int b = interleaved ? 2 * i + 1 : i + half;
        float x0 = head[a];
        float x1 = head[b];
        head[a] = __fsub_rn(__fmul_rn(x0, cosf_), __fmul_rn(x1, sinf_));
        head[b] = __fadd_rn(__fmul_rn(x1, cosf_), __fmul_rn(x0, sinf_));
    }
}
