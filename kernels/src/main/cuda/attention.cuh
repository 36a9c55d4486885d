// Paged causal attention over a ragged batch: every row is one query token of some sequence, at
// some position; it attends to its sequence's cached keys and values at positions 0..position,
// found through the sequence's block table. Prefill chunks and decode tokens mix freely.
//
// One block per (row, query head, split). A split is a range of tokensPerSplit context positions
// (flash-decoding): with few rows and long contexts the splits keep every multiprocessor busy,
// and attention_combine merges them. Each of the block's warps walks its own subset of the
// split's tokens with an online softmax (running maximum m, running sum l, running weighted sum
// of values), its 32 lanes sharing the head's dimensions; the warps are then merged through
// shared memory. No scores are stored, so a split may be any length.
#pragma once

#include <math_constants.h>

#include "common.cuh"

#define ATTENTION_WARPS 4

// LANE_DIMS: head dimensions per lane, so headDim <= 32 * LANE_DIMS. A compile-time size keeps the
// per-lane query and accumulator arrays in registers (they are indexed only by unrolled loops).
template <int LANE_DIMS>
__device__ __forceinline__ void paged_attention(
        const float* q, int qStride, const float* kCache, const float* vCache,
        const int* positions, const int* rowSequence, const int* blockTables, int maxBlocksPerSequence, int blockSize,
        int heads, int kvHeads, int headDim, float scale, int tokensPerSplit,
        float* out, int outStride, float* partial) {
    __shared__ float warpMax[ATTENTION_WARPS];
    __shared__ float warpSum[ATTENTION_WARPS];
    __shared__ float warpAcc[ATTENTION_WARPS][LANE_DIMS * 32];

    int row = blockIdx.x;
    int head = blockIdx.y;
    int split = blockIdx.z;
    int splits = gridDim.z;
    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;

    int length = positions[row] + 1;
    int begin = split * tokensPerSplit;
    int end = min(length, begin + tokensPerSplit);
    int kvHead = head / (heads / kvHeads);
    long long kvDim = (long long)kvHeads * headDim;
    const int* table = blockTables + (long long)rowSequence[row] * maxBlocksPerSequence;
    const float* qh = q + (long long)row * qStride + head * headDim;

    float qv[LANE_DIMS];
    float acc[LANE_DIMS];
#pragma unroll
    for (int j = 0; j < LANE_DIMS; j++) {
        int i = lane + 32 * j;
        qv[j] = i < headDim ? qh[i] : 0.f;
        acc[j] = 0.f;
    }
    float m = -CUDART_INF_F;
    float l = 0.f;
    for (int t = begin + warp; t < end; t += ATTENTION_WARPS) {
        long long slot = (long long)table[t / blockSize] * blockSize + t % blockSize;
        const float* kr = kCache + slot * kvDim + (long long)kvHead * headDim;
        const float* vr = vCache + slot * kvDim + (long long)kvHead * headDim;
        float dot = 0.f;
#pragma unroll
        for (int j = 0; j < LANE_DIMS; j++) {
            int i = lane + 32 * j;
            if (i < headDim) {
                dot = fmaf(qv[j], kr[i], dot);
            }
        }
        float s = warp_sum(dot) * scale;
        float mNew = fmaxf(m, s);
        float correction = expf(m - mNew);  // 0 for the first token, where m is -inf
        float p = expf(s - mNew);
        l = l * correction + p;
#pragma unroll
        for (int j = 0; j < LANE_DIMS; j++) {
            int i = lane + 32 * j;
            if (i < headDim) {
                acc[j] = fmaf(p, vr[i], acc[j] * correction);
            }
        }
        m = mNew;
    }

    if (lane == 0) {
        warpMax[warp] = m;
        warpSum[warp] = l;
    }
#pragma unroll
    for (int j = 0; j < LANE_DIMS; j++) {
        warpAcc[warp][lane + 32 * j] = acc[j];
    }
    __syncthreads();

    // Merge the warps: a warp that saw no token has m = -inf and adds nothing.
    float blockMax = -CUDART_INF_F;
#pragma unroll
    for (int w = 0; w < ATTENTION_WARPS; w++) {
        blockMax = fmaxf(blockMax, warpMax[w]);
    }
    float weight[ATTENTION_WARPS];
    float blockSum = 0.f;
#pragma unroll
    for (int w = 0; w < ATTENTION_WARPS; w++) {
        weight[w] = warpMax[w] == -CUDART_INF_F ? 0.f : expf(warpMax[w] - blockMax);
        blockSum += warpSum[w] * weight[w];
    }
    if (splits == 1) {
        // the split is the whole context, which holds at least the row's own token: blockSum > 0
        float* o = out + (long long)row * outStride + head * headDim;
        for (int i = threadIdx.x; i < headDim; i += blockDim.x) {
            float a = 0.f;
#pragma unroll
            for (int w = 0; w < ATTENTION_WARPS; w++) {
                a = fmaf(warpAcc[w][i], weight[w], a);
            }
            o[i] = a / blockSum;
        }
    } else {
        // unnormalised: [headDim] weighted values, then the split's maximum and sum
        float* p = partial + (((long long)row * heads + head) * splits + split) * (headDim + 2);
        for (int i = threadIdx.x; i < headDim; i += blockDim.x) {
            float a = 0.f;
#pragma unroll
            for (int w = 0; w < ATTENTION_WARPS; w++) {
                a = fmaf(warpAcc[w][i], weight[w], a);
            }
            p[i] = a;
        }
        if (threadIdx.x == 0) {
            p[headDim] = blockMax;
            p[headDim + 1] = blockSum;
        }
    }
}

#define PAGED_ATTENTION_KERNEL(NAME, LANE_DIMS)                                                              \
    CASCADE_KERNEL void __launch_bounds__(ATTENTION_WARPS * 32) NAME(                                        \
            const float* q, int qStride, const float* kCache, const float* vCache, const int* positions,     \
            const int* rowSequence, const int* blockTables, int maxBlocksPerSequence, int blockSize,         \
            int heads, int kvHeads, int headDim, float scale, int tokensPerSplit, float* out, int outStride, \
            float* partial) {                                                                                \
        paged_attention<LANE_DIMS>(q, qStride, kCache, vCache, positions, rowSequence, blockTables,          \
                                   maxBlocksPerSequence, blockSize, heads, kvHeads, headDim, scale,          \
                                   tokensPerSplit, out, outStride, partial);                                 \
    }

PAGED_ATTENTION_KERNEL(paged_attention_d32, 1)
PAGED_ATTENTION_KERNEL(paged_attention_d64, 2)
PAGED_ATTENTION_KERNEL(paged_attention_d128, 4)
PAGED_ATTENTION_KERNEL(paged_attention_d256, 8)

// Merges the splits of paged_attention: out = Σ acc_s · e^(m_s − M) / Σ l_s · e^(m_s − M) with
// M the largest m_s. One block per (row, head). A split past the row's length has m = -inf.
CASCADE_KERNEL void attention_combine(const float* partial, int splits, int heads, int headDim, float* out,
                                      int outStride) {
    int row = blockIdx.x;
    int head = blockIdx.y;
    int stride = headDim + 2;
    const float* p = partial + ((long long)row * heads + head) * splits * stride;
    float max = -CUDART_INF_F;
    for (int s = 0; s < splits; s++) {
        max = fmaxf(max, p[s * stride + headDim]);
    }
    float sum = 0.f;
    for (int s = 0; s < splits; s++) {
        float ms = p[s * stride + headDim];
        if (ms != -CUDART_INF_F) {
            sum += p[s * stride + headDim + 1] * expf(ms - max);
        }
    }
    float* o = out + (long long)row * outStride + head * headDim;
    for (int i = threadIdx.x; i < headDim; i += blockDim.x) {
        float a = 0.f;
        for (int s = 0; s < splits; s++) {
            float ms = p[s * stride + headDim];
            if (ms != -CUDART_INF_F) {
                a = fmaf(p[s * stride + i], expf(ms - max), a);
            }
        }
        o[i] = a / sum;
    }
}
