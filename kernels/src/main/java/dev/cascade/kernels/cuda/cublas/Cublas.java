package dev.cascade.kernels.cuda.cublas;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One cuBLAS handle, bound to one stream. Matrices are column-major as cuBLAS sees them; device
 * pointers are raw addresses. Scalars (alpha, beta) are float32 in host memory, as the default
 * pointer mode and a float32 compute type expect. Every status is checked: a failure throws
 * {@link CublasException} naming the call and its arguments. Not thread-safe (one handle per
 * backend, used from the thread that issues the backend's calls).
 */
public final class Cublas implements AutoCloseable {
    /** cudaDataType_t (library_types.h). */
    public static final int CUDA_R_32F = 0;
    public static final int CUDA_R_16F = 2;
    public static final int CUDA_R_16BF = 14;
    /** cublasComputeType_t: float32 accumulation (no TF32 unless the math mode allows it). */
    public static final int CUBLAS_COMPUTE_32F = 68;
    /** cublasOperation_t. */
    public static final int OP_N = 0;
    public static final int OP_T = 1;
    /** cublasMath_t: the default keeps float32 products in float32 (no TF32 tensor cores). */
    public static final int DEFAULT_MATH = 0;
    /** cublasGemmAlgo_t: let cuBLAS choose. */
    public static final int GEMM_DEFAULT = -1;

    private final CublasLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private boolean closed;

    public Cublas(CublasLibrary lib) {
        this.lib = lib;
        MemorySegment slot = arena.allocate(ValueLayout.ADDRESS);
        try {
            check("cublasCreate_v2", (int) lib.create.invokeExact(slot));
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
        handle = slot.get(ValueLayout.ADDRESS, 0);
        alpha = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
        beta = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
    }

    /** Work on this stream (a CUstream's address) from now on. */
    public void setStream(long stream) {
        try {
            check("cublasSetStream_v2(stream=0x" + Long.toHexString(stream) + ")",
                    (int) lib.setStream.invokeExact(handle, MemorySegment.ofAddress(stream)));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void setMathMode(int mode) {
        try {
            check("cublasSetMathMode(" + mode + ")", (int) lib.setMathMode.invokeExact(handle, mode));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * A workspace of our own, so cuBLAS allocates nothing while it runs (which a CUDA graph capture
     * would not allow).
     */
    public void setWorkspace(long address, long bytes) {
        try {
            check("cublasSetWorkspace_v2(" + bytes + " bytes)",
                    (int) lib.setWorkspace.invokeExact(handle, MemorySegment.ofAddress(address), bytes));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** cuBLAS's version, e.g. 130100 for 13.1.0. */
    public int version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            check("cublasGetVersion_v2", (int) lib.getVersion.invokeExact(handle, v));
            return v.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** C = op(A) · op(B), C m×n, float32 compute, alpha 1, beta 0. */
    public void gemmEx(int transa, int transb, int m, int n, int k,
                       long a, int aType, int lda, long b, int bType, int ldb, long c, int cType, int ldc) {
        int status;
        try {
            status = (int) lib.gemmEx.invokeExact(handle, transa, transb, m, n, k,
                    alpha, MemorySegment.ofAddress(a), aType, lda,
                    MemorySegment.ofAddress(b), bType, ldb,
                    beta, MemorySegment.ofAddress(c), cType, ldc,
                    CUBLAS_COMPUTE_32F, GEMM_DEFAULT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (status != CublasStatus.SUCCESS) {
            throw failure(String.format("cublasGemmEx(%s, %s, m=%d, n=%d, k=%d, A=%s lda=%d, B=%s ldb=%d, C=%s ldc=%d, "
                            + "compute 32F)", op(transa), op(transb), m, n, k, type(aType), lda, type(bType), ldb, type(cType), ldc),
                    status);
        }
    }

    /** C_i = op(A_i) · op(B_i) for i < batch, each matrix {@code stride} elements after the last. */
    public void gemmStridedBatchedEx(int transa, int transb, int m, int n, int k,
                                     long a, int aType, int lda, long strideA, long b, int bType, int ldb, long strideB,
                                     long c, int cType, int ldc, long strideC, int batch) {
        int status;
        try {
            status = (int) lib.gemmStridedBatchedEx.invokeExact(handle, transa, transb, m, n, k,
                    alpha, MemorySegment.ofAddress(a), aType, lda, strideA,
                    MemorySegment.ofAddress(b), bType, ldb, strideB,
                    beta, MemorySegment.ofAddress(c), cType, ldc, strideC,
                    batch, CUBLAS_COMPUTE_32F, GEMM_DEFAULT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (status != CublasStatus.SUCCESS) {
            throw failure(String.format("cublasGemmStridedBatchedEx(%s, %s, m=%d, n=%d, k=%d, A=%s lda=%d stride %d, "
                            + "B=%s ldb=%d stride %d, C=%s ldc=%d stride %d, batch %d, compute 32F)", op(transa), op(transb),
                    m, n, k, type(aType), lda, strideA, type(bType), ldb, strideB, type(cType), ldc, strideC, batch), status);
        }
    }

    static String op(int op) {
        return op == OP_N ? "N" : op == OP_T ? "T" : "op " + op;
    }

    static String type(int t) {
        return switch (t) {
            case CUDA_R_32F -> "F32";
            case CUDA_R_16F -> "F16";
            case CUDA_R_16BF -> "BF16";
            default -> "type " + t;
        };
    }

    private void check(String call, int status) {
        if (status != CublasStatus.SUCCESS) {
            throw failure(call, status);
        }
    }

    private CublasException failure(String call, int status) {
        return new CublasException(call, status, lib.statusString(status));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            check("cublasDestroy_v2", (int) lib.destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            arena.close();
        }
    }
}
