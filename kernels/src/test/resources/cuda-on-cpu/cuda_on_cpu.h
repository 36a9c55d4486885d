// Runs Cascade's CUDA kernels on the CPU, for testing them where there is no GPU: each block of a
// launch runs as blockDim real threads (blocks one after another), __syncthreads is a barrier of
// the block, __shfl_xor_sync exchanges values among the 32 threads of a warp through a buffer and
// two warp barriers, and __shared__ variables are statics (one block runs at a time). Only what
// the kernels use is here. It checks their indexing and arithmetic, not their speed or their
// memory model: a missing __syncthreads between two phases can pass here and race on a GPU.
#pragma once

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <barrier>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)

inline int min(int a, int b) { return a < b ? a : b; }
inline float __fmul_rn(float a, float b) { return a * b; }  // built with -ffp-contract=off: no fused multiply-add
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }

namespace emu {
inline std::barrier<>* block_barrier;
inline std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
inline float shuffle[32][32];  // [warp][lane], blocks of up to 1024 threads

// The kernel on every block of the grid: blockDim threads, started once per launch, walk the
// blocks together, meeting at the block barrier after each (so a block's statics, its shared
// memory, are free again). The kernels return only at their end, never before a __syncthreads,
// so every thread arrives at the same barriers.
template <typename... Params, typename... Args>
void launch(void (*kernel)(Params...), dim3 grid, unsigned threads, Args... args) {
    gridDim = grid;
    blockDim = dim3{threads, 1, 1};
    std::barrier<> block((ptrdiff_t)threads);
    block_barrier = &block;
    warp_barriers.clear();
    for (unsigned w = 0; w * 32 < threads; w++) {
        unsigned lanes = threads - w * 32 < 32 ? threads - w * 32 : 32;
        warp_barriers.push_back(std::make_unique<std::barrier<>>((ptrdiff_t)lanes));
    }
    std::vector<std::thread> running;
    for (unsigned t = 0; t < threads; t++) {
        running.emplace_back([=] {
            threadIdx = dim3{t, 0, 0};
            for (unsigned z = 0; z < grid.z; z++) {
                for (unsigned y = 0; y < grid.y; y++) {
                    for (unsigned x = 0; x < grid.x; x++) {
                        blockIdx = dim3{x, y, z};
                        kernel(args...);
                        block_barrier->arrive_and_wait();
                    }
                }
            }
        });
    }
    for (auto& r : running) {
        r.join();
    }
}
}  // namespace emu

inline void __syncthreads() { emu::block_barrier->arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int offset) {
    unsigned lane = threadIdx.x & 31;
    unsigned warp = threadIdx.x >> 5;
    emu::shuffle[warp][lane] = v;
    emu::warp_barriers[warp]->arrive_and_wait();
    float r = emu::shuffle[warp][lane ^ (unsigned)offset];
    emu::warp_barriers[warp]->arrive_and_wait();
    return r;
}

inline float __shfl_sync(unsigned, float v, int srcLane) {
    unsigned lane = threadIdx.x & 31;
    unsigned warp = threadIdx.x >> 5;
    emu::shuffle[warp][lane] = v;
    emu::warp_barriers[warp]->arrive_and_wait();
    float r = emu::shuffle[warp][srcLane & 31];
    emu::warp_barriers[warp]->arrive_and_wait();
    return r;
}

inline int __float_as_int(float f) {
    int i;
    memcpy(&i, &f, sizeof i);
    return i;
}

namespace emu {
inline std::mutex atomics;
}
inline int atomicAdd(int* address, int v) {
    std::lock_guard<std::mutex> lock(emu::atomics);
    int old = *address;
    *address = old + v;
    return old;
}
inline float atomicAdd(float* address, float v) {
    std::lock_guard<std::mutex> lock(emu::atomics);
    float old = *address;
    *address = old + v;
    return old;
}
