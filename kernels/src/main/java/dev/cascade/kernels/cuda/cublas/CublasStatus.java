package dev.cascade.kernels.cuda.cublas;

/** cublasStatus_t codes (cublas_api.h), their names, and what each usually means for us. */
final class CublasStatus {
    static final int SUCCESS = 0;

    private CublasStatus() {
    }

    static String name(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cuBLAS status " + status;
        };
    }

    static String hint(int status) {
        return switch (status) {
            case 1 -> "; cuBLAS could not start: is the driver new enough for this cuBLAS, and is a CUDA context current on this thread?";
            case 3 -> "; the GPU is out of memory";
            case 7 -> "; an argument is out of range (sizes, leading dimensions, types)";
            case 8 -> "; this GPU lacks a feature the call needs (e.g. BF16 before sm_80)";
            case 15 -> "; this combination of data types and compute type is not supported";
            case 13 -> "; the GPU program failed to run (an earlier kernel may have faulted)";
            default -> "";
        };
    }
}
