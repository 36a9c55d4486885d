package dev.cascade.kernels.cuda.cublas;

import dev.cascade.kernels.cuda.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few cuBLAS functions we call, bound through java.lang.foreign (cublas_api.h of CUDA 12 and
 * 13 declares them alike). JCublas is not used because it links libcublas.so.12 with versioned
 * symbols and cannot load CUDA 13's cuBLAS. The libraries stay loaded for the life of the JVM.
 */
public final class CublasLibrary {
    final CublasLocator.Found files;
    final MethodHandle create;
    final MethodHandle destroy;
    final MethodHandle setStream;
    final MethodHandle setMathMode;
    final MethodHandle setWorkspace;
    final MethodHandle getVersion;
    final MethodHandle gemmEx;
    final MethodHandle gemmStridedBatchedEx;
    final MethodHandle getStatusString;

    private CublasLibrary(CublasLocator.Found files, SymbolLookup lookup) {
        this.files = files;
        Linker linker = Linker.nativeLinker();
        // cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
        create = bind(linker, lookup, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
        destroy = bind(linker, lookup, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
        setStream = bind(linker, lookup, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
        setMathMode = bind(linker, lookup, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        // cublasStatus_t cublasSetWorkspace_v2(cublasHandle_t handle, void *workspace, size_t workspaceSizeInBytes)
        setWorkspace = bind(linker, lookup, "cublasSetWorkspace_v2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        // cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)
        getVersion = bind(linker, lookup, "cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        // cublasStatus_t cublasGemmEx(handle, transa, transb, m, n, k, const void *alpha, const void *A,
        //     cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C,
        //     cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)
        gemmEx = bind(linker, lookup, "cublasGemmEx", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT));
        // cublasStatus_t cublasGemmStridedBatchedEx(handle, transa, transb, m, n, k, alpha, A, Atype, lda,
        //     long long strideA, B, Btype, ldb, long long strideB, beta, C, Ctype, ldc, long long strideC,
        //     int batchCount, computeType, algo)
        gemmStridedBatchedEx = bind(linker, lookup, "cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_INT, JAVA_INT, JAVA_INT));
        // const char *cublasGetStatusString(cublasStatus_t status)
        getStatusString = bind(linker, lookup, "cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /** Loads libcublasLt, then libcublas (whose dependency on libcublasLt then resolves to the one loaded). */
    public static CublasLibrary load(CublasLocator.Found files) {
        Arena forever = Arena.global();
        NativeLibrary.open(files.cublasLt(), forever);
        SymbolLookup cublas = NativeLibrary.open(files.cublas(), forever);
        return new CublasLibrary(files, cublas);
    }

    public CublasLocator.Found files() {
        return files;
    }

    private MethodHandle bind(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor d) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError(
                files.cublas() + " has no " + name + "; is it cuBLAS 12 or 13?"));
        return linker.downcallHandle(symbol, d);
    }

    /** cuBLAS's own text for a status, or null. */
    String statusString(int status) {
        try {
            MemorySegment s = (MemorySegment) getStatusString.invokeExact(status);
            return s.equals(MemorySegment.NULL) ? null : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }
}
