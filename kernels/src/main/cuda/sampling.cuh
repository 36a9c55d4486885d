// Token choice on the device, so a decode step returns a token id and a log-probability per row
// instead of a vocabulary of logits. One block per row; the same choice as the host's Sampler
// (dev.cascade.engine.sampling.Sampler) given the same uniform draw u in [0, 1):
//   temperature 0: the argmax, ties to the lower id;
//   otherwise p_i = exp((l_i - max) / T), then top-k (k > 0), then top-p over what is left, and the
//   token where the running sum, most likely first, passes u · (kept mass); with neither top-k nor
//   top-p the running sum goes in id order.
// The log-probability is under the model's own distribution: l_token - log Σ exp(l_i).
//
// Top-k and top-p need the most likely tokens in order. A histogram of p over 2048 bins (the top
// bits of the float) finds a threshold that keeps at least the k tokens, or at least the nucleus;
// the tokens above it (at most SAMPLE_CANDIDATES) are sorted in shared memory and walked exactly as
// the host walks its sorted list. A row with more candidates than that (a flat distribution and a
// wide nucleus) gets token -1: the caller samples it on the host from the logits, which this
// kernel leaves as they were.
#pragma once

#include <math_constants.h>

#include "common.cuh"

#define SAMPLE_THREADS 256
#define SAMPLE_CANDIDATES 1024
#define SAMPLE_BINS 2048

// p's bin: p is in [0, 1], so its bits are at most 0x3f800000 and bits >> 19 at most 2032.
__device__ __forceinline__ int sample_bin(float p) { return __float_as_int(p) >> 19; }

// Sum of v over the block in a fixed order (a tree over thread indices); every thread gets it.
__device__ __forceinline__ double sample_block_sum(double v, double* scratch) {
    int t = threadIdx.x;
    __syncthreads();
    scratch[t] = v;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half >>= 1) {
        if (t < half) {
            scratch[t] += scratch[t + half];
        }
        __syncthreads();
    }
    double r = scratch[0];
    __syncthreads();
    return r;
}

// a before b: more likely first, the lower id first among equals
__device__ __forceinline__ bool sample_before(float pa, int ia, float pb, int ib) {
    return pa > pb || (pa == pb && ia < ib);
}

CASCADE_KERNEL void __launch_bounds__(SAMPLE_THREADS) sample_rows(
        const float* logits, int stride, int vocab, const float* temperature, const int* topK, const float* topP,
        const double* uniform, int* tokenOut, float* logprobOut) {
    __shared__ double sums[SAMPLE_THREADS];
    __shared__ float bestValue[SAMPLE_THREADS];
    __shared__ int bestId[SAMPLE_THREADS];
    __shared__ int binCount[SAMPLE_BINS];
    __shared__ float binMass[SAMPLE_BINS];
    __shared__ float candP[SAMPLE_CANDIDATES];
    __shared__ int candId[SAMPLE_CANDIDATES];
    __shared__ int threshold;  // the lowest bin kept; -1: too many candidates
    __shared__ int chosen;

    int row = blockIdx.x;
    int t = threadIdx.x;
    int n = blockDim.x;
    const float* l = logits + (long long)row * stride;

    // the maximum and its lowest id
    float best = -CUDART_INF_F;
    int at = 0x7fffffff;
    for (int i = t; i < vocab; i += n) {
        float v = l[i];
        if (v > best || (v == best && i < at)) {
            best = v;
            at = i;
        }
    }
    bestValue[t] = best;
    bestId[t] = at;
    __syncthreads();
    for (int half = n / 2; half > 0; half >>= 1) {
        if (t < half && sample_before(bestValue[t + half], bestId[t + half], bestValue[t], bestId[t])) {
            bestValue[t] = bestValue[t + half];
            bestId[t] = bestId[t + half];
        }
        __syncthreads();
    }
    float max = bestValue[0];
    int argmax = bestId[0];

    double z = 0;
    for (int i = t; i < vocab; i += n) {
        z += (double)expf(l[i] - max);
    }
    z = sample_block_sum(z, sums);
    float logZ = max + (float)log(z);

    float temp = temperature[row];
    int token = argmax;
    if (temp != 0.f) {
        float invT = 1.f / temp;
        int k = topK[row];
        float nucleus = topP[row];
        bool useK = k > 0 && k < vocab;
        bool useP = nucleus < 1.f;
        double u = uniform[row];
        if (!useK && !useP) {
            // id order: each thread sums a contiguous range, thread 0 finds the range the draw lands in
            int chunk = (vocab + n - 1) / n;
            int lo = min(vocab, t * chunk);
            int hi = min(vocab, lo + chunk);
            double part = 0;
            for (int i = lo; i < hi; i++) {
                part += (double)expf((l[i] - max) * invT);
            }
            __syncthreads();
            sums[t] = part;
            __syncthreads();
            if (t == 0) {
                double total = 0;
                for (int j = 0; j < n; j++) {
                    total += sums[j];
                }
                double target = u * total;
                double cumulative = 0;
                chosen = -1;
                for (int j = 0; j < n; j++) {
                    if (target < cumulative + sums[j]) {
                        chosen = j;
                        break;
                    }
                    cumulative += sums[j];
                }
                sums[0] = target - cumulative;  // what is left to walk inside the chosen range
            }
            __syncthreads();
            if (chosen == -1) {
                token = vocab - 1;  // rounding left the draw past the end: the last token, as the host does
            } else {
                if (t == chosen) {
                    double left = sums[0];
                    double cumulative = 0;
                    int pick = hi - 1;
                    for (int i = lo; i < hi; i++) {
                        cumulative += (double)expf((l[i] - max) * invT);
                        if (left < cumulative) {
                            pick = i;
                            break;
                        }
                    }
                    bestId[0] = pick;
                }
                __syncthreads();
                token = bestId[0];
            }
        } else {
            for (int b = t; b < SAMPLE_BINS; b += n) {
                binCount[b] = 0;
                binMass[b] = 0.f;
            }
            __syncthreads();
            double total = 0;
            for (int i = t; i < vocab; i += n) {
                float p = expf((l[i] - max) * invT);
                total += p;
                int b = sample_bin(p);
                atomicAdd(&binCount[b], 1);
                atomicAdd(&binMass[b], p);
            }
            total = sample_block_sum(total, sums);
            if (t == 0) {
                // from the top bin down until the bins hold the k tokens, or (with slack for the
                // float sums) the nucleus's mass; one bin more, so the exact boundary is surely in
                int count = 0;
                double mass = 0;
                double target = (double)nucleus * total * (1 + 1e-4);
                int b = SAMPLE_BINS - 1;
                for (; b > 0; b--) {
                    count += binCount[b];
                    mass += binMass[b];
                    if (useK ? count >= k : mass >= target) {
                        break;
                    }
                }
                if (b > 0) {
                    b--;
                    count += binCount[b];
                }
                threshold = count > SAMPLE_CANDIDATES ? -1 : b;
            }
            __syncthreads();
            if (threshold < 0) {
                token = -1;
            } else {
                // gather the candidates: each thread's own in index order, at offsets from a scan
                int mine = 0;
                for (int i = t; i < vocab; i += n) {
                    mine += sample_bin(expf((l[i] - max) * invT)) >= threshold ? 1 : 0;
                }
                __syncthreads();
                bestId[t] = mine;
                __syncthreads();
                if (t == 0) {
                    int offset = 0;
                    for (int j = 0; j < n; j++) {
                        int c = bestId[j];
                        bestId[j] = offset;
                        offset += c;
                    }
                    chosen = offset;  // how many
                }
                __syncthreads();
                int slot = bestId[t];
                for (int i = t; i < vocab; i += n) {
                    float p = expf((l[i] - max) * invT);
                    if (sample_bin(p) >= threshold) {
                        candP[slot] = p;
                        candId[slot] = i;
                        slot++;
                    }
                }
                int count = chosen;
                for (int j = count + t; j < SAMPLE_CANDIDATES; j += n) {
                    candP[j] = -1.f;
                    candId[j] = 0x7fffffff;
                }
                __syncthreads();
                // bitonic sort, most likely first
                for (int size = 2; size <= SAMPLE_CANDIDATES; size <<= 1) {
                    for (int stride2 = size >> 1; stride2 > 0; stride2 >>= 1) {
                        for (int j = t; j < SAMPLE_CANDIDATES; j += n) {
                            int partner = j ^ stride2;
                            if (partner > j) {
                                bool ascending = (j & size) == 0;  // "ascending" here means most likely first
                                bool swap = ascending ? sample_before(candP[partner], candId[partner], candP[j], candId[j])
                                                      : sample_before(candP[j], candId[j], candP[partner], candId[partner]);
                                if (swap) {
                                    float tp = candP[j];
                                    candP[j] = candP[partner];
                                    candP[partner] = tp;
                                    int ti = candId[j];
                                    candId[j] = candId[partner];
                                    candId[partner] = ti;
                                }
                            }
                        }
                        __syncthreads();
                    }
                }
                if (t == 0) {
                    int kept = useK ? min(count, k) : count;
                    double keptTotal = total;
                    if (useK) {
                        // the host adds its k kept from the least likely up
                        keptTotal = 0;
                        for (int j = kept - 1; j >= 0; j--) {
                            keptTotal += candP[j];
                        }
                    }
                    int last = kept - 1;
                    bool reached = true;
                    if (useP) {
                        double target = (double)nucleus * keptTotal;
                        double cumulative = 0;
                        int j = 0;
                        for (; j < kept - 1; j++) {
                            cumulative += candP[j];
                            if (cumulative >= target) {
                                break;
                            }
                        }
                        last = j;
                        // without top-k the candidates must hold the nucleus; if rounding says they do not, ask the host
                        reached = useK || j < kept - 1 || cumulative + candP[kept - 1] >= target;
                    }
                    int pick = -1;
                    if (reached) {
                        double mass = 0;
                        for (int j = 0; j <= last; j++) {
                            mass += candP[j];
                        }
                        double target = u * mass;
                        double cumulative = 0;
                        pick = candId[last];
                        for (int j = 0; j <= last; j++) {
                            cumulative += candP[j];
                            if (target < cumulative) {
                                pick = candId[j];
                                break;
                            }
                        }
                    }
                    chosen = pick;
                }
                __syncthreads();
                token = chosen;
            }
        }
    }
    if (t == 0) {
        tokenOut[row] = token;
        logprobOut[row] = token >= 0 ? l[token] - logZ : 0.f;
    }
}
