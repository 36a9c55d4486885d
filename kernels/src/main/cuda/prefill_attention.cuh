// Causal attention for the rows of prefill chunks, a tile of consecutive rows of one sequence at a
// time: the tile's keys and values are read once into shared memory, KV_TILE tokens at a time, and
// serve all of its rows, where paged_attention would have each row read its whole prefix. One block
// per (tile, query head), 4 warps of 4 rows each. For each KV tile a warp scores its rows one at a
// time, one token per lane (the query from shared memory, the key row padded against bank
// conflicts), updates the row's online softmax (running maximum, sum and weighted values, its
// head dimensions spread over the lanes as in paged_attention), and takes each token's weight from
// its lane by a shuffle. Rows see only tokens at or before their own position.
#pragma once

#include <math_constants.h>

#include "common.cuh"

#define PREFILL_TILE_ROWS 16
#define PREFILL_KV_TILE 32
#define PREFILL_WARPS 4

template <int LANE_DIMS>
__device__ __forceinline__ void prefill_attention(
        const float* q, int qStride, const float* kCache, const float* vCache, const int* positions,
        const int* rowSequence, const int* blockTables, int maxBlocksPerSequence, int blockSize, int heads, int kvHeads,
        int headDim, float scale, const int* tileFirst, const int* tileRows, float* out, int outStride) {
    constexpr int D = 32 * LANE_DIMS;
    constexpr int ROWS_PER_WARP = PREFILL_TILE_ROWS / PREFILL_WARPS;
    __shared__ float qs[PREFILL_TILE_ROWS][D];
    __shared__ float ks[PREFILL_KV_TILE][D + 1];
    __shared__ float vs[PREFILL_KV_TILE][D + 1];

    int tile = blockIdx.x;
    int head = blockIdx.y;
    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;
    int first = tileFirst[tile];
    int n = tileRows[tile];
    int kvHead = head / (heads / kvHeads);
    long long kvDim = (long long)kvHeads * headDim;
    const int* table = blockTables + (long long)rowSequence[first] * maxBlocksPerSequence;
    int lastPosition = positions[first + n - 1];

    for (int i = threadIdx.x; i < PREFILL_TILE_ROWS * D; i += blockDim.x) {
        int r = i / D;
        int d = i % D;
        qs[r][d] = r < n && d < headDim ? q[(long long)(first + r) * qStride + head * headDim + d] : 0.f;
    }
    float m[ROWS_PER_WARP];
    float l[ROWS_PER_WARP];
    float acc[ROWS_PER_WARP][LANE_DIMS];
    int position[ROWS_PER_WARP];
#pragma unroll
    for (int k = 0; k < ROWS_PER_WARP; k++) {
        int r = warp * ROWS_PER_WARP + k;
        position[k] = r < n ? positions[first + r] : -1;
        m[k] = -CUDART_INF_F;
        l[k] = 0.f;
#pragma unroll
        for (int j = 0; j < LANE_DIMS; j++) {
            acc[k][j] = 0.f;
        }
    }
    for (int t0 = 0; t0 <= lastPosition; t0 += PREFILL_KV_TILE) {
        __syncthreads();  // the last tile's readers are done with ks and vs
        for (int i = threadIdx.x; i < PREFILL_KV_TILE * headDim; i += blockDim.x) {
            int t = i / headDim;
            int d = i % headDim;
            int token = t0 + t;
            float kv = 0.f;
            float vv = 0.f;
            if (token <= lastPosition) {
                long long slot = (long long)table[token / blockSize] * blockSize + token % blockSize;
                kv = kCache[slot * kvDim + (long long)kvHead * headDim + d];
                vv = vCache[slot * kvDim + (long long)kvHead * headDim + d];
            }
            ks[t][d] = kv;
            vs[t][d] = vv;
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < ROWS_PER_WARP; k++) {
            int r = warp * ROWS_PER_WARP + k;
            if (position[k] < t0) {
                continue;  // the same for the whole warp: a row past the tile's end, or before its tokens
            }
            int token = t0 + lane;
            float s = -CUDART_INF_F;
            if (token <= position[k]) {
                float dot = 0.f;
                for (int d = 0; d < headDim; d++) {
                    dot = fmaf(qs[r][d], ks[lane][d], dot);
                }
                s = dot * scale;
            }
            float mNew = fmaxf(m[k], warp_max(s));  // finite: token t0 <= position is in every such row
            float correction = expf(m[k] - mNew);  // 0 for the row's first tile, where m is -inf
            float p = s == -CUDART_INF_F ? 0.f : expf(s - mNew);
            l[k] = l[k] * correction + warp_sum(p);
#pragma unroll
            for (int j = 0; j < LANE_DIMS; j++) {
                acc[k][j] *= correction;
            }
            for (int t = 0; t < PREFILL_KV_TILE; t++) {
                float pt = __shfl_sync(0xffffffffu, p, t);
#pragma unroll
                for (int j = 0; j < LANE_DIMS; j++) {
                    acc[k][j] = fmaf(pt, vs[t][lane + 32 * j], acc[k][j]);
                }
            }
            m[k] = mNew;
        }
    }
#pragma unroll
    for (int k = 0; k < ROWS_PER_WARP; k++) {
        int r = warp * ROWS_PER_WARP + k;
        if (r < n) {
            float* o = out + (long long)(first + r) * outStride + head * headDim;
#pragma unroll
            for (int j = 0; j < LANE_DIMS; j++) {
                int d = lane + 32 * j;
                if (d < headDim) {
                    o[d] = acc[k][j] / l[k];
                }
            }
        }
    }
}

#define PREFILL_ATTENTION_KERNEL(NAME, LANE_DIMS)                                                                 \
    CASCADE_KERNEL void __launch_bounds__(PREFILL_WARPS * 32) NAME(                                               \
            const float* q, int qStride, const float* kCache, const float* vCache, const int* positions,          \
            const int* rowSequence, const int* blockTables, int maxBlocksPerSequence, int blockSize, int heads,    \
            int kvHeads, int headDim, float scale, const int* tileFirst, const int* tileRows, float* out,          \
            int outStride) {                                                                                      \
        prefill_attention<LANE_DIMS>(q, qStride, kCache, vCache, positions, rowSequence, blockTables,             \
                                     maxBlocksPerSequence, blockSize, heads, kvHeads, headDim, scale, tileFirst,  \
                                     tileRows, out, outStride);                                                   \
    }

PREFILL_ATTENTION_KERNEL(prefill_attention_d32, 1)
PREFILL_ATTENTION_KERNEL(prefill_attention_d64, 2)
PREFILL_ATTENTION_KERNEL(prefill_attention_d128, 4)
