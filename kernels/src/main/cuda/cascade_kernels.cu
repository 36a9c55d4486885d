// Cascade's CUDA kernels, one translation unit so that the build makes one fatbin
// (dev/cascade/kernels/cuda/cascade_kernels.fatbin) that CudaBackend loads as one module.
// Every kernel is extern "C": dev.cascade.kernels.cuda.CudaKernels looks each one up by name, and
// a test checks every name it uses is in the fatbin for every architecture.
//
// Numerics follow the CPU backend: float32 activations and accumulation, sums in a fixed order
// that depends only on the launch shape (never on the other rows of the batch).

#include "attention.cuh"
#include "convert.cuh"
#include "elementwise.cuh"
#include "embed.cuh"
#include "kv_cache.cuh"
#include "norm.cuh"
#include "prefill_attention.cuh"
#include "rope.cuh"
#include "sampling.cuh"
