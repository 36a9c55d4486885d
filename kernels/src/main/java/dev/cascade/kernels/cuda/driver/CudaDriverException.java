package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUresult;

/** A CUDA driver call returned an error; the message names the call, its arguments and the error. */
public final class CudaDriverException extends RuntimeException {
    private final int result;

    public CudaDriverException(String call, int result) {
        super(call + " failed: " + CUresult.stringFor(result) + " (" + result + ")" + hint(result));
        this.result = result;
    }

    public int result() {
        return result;
    }

    /** Throws unless {@code result} is CUDA_SUCCESS. */
    public static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaDriverException(call, result);
        }
    }

    private static String hint(int result) {
        return switch (result) {
            case CUresult.CUDA_ERROR_OUT_OF_MEMORY -> "; the GPU is out of memory";
            case CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU -> "; the fatbin has no SASS for this GPU and its PTX is newer than"
                    + " the driver can compile: rebuild the kernels with this machine's toolkit (CUDA_HOME)";
            case CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION -> "; the kernels' PTX is newer than this driver: update the"
                    + " driver or rebuild the kernels with an older toolkit (CUDA_HOME)";
            case CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, CUresult.CUDA_ERROR_LAUNCH_FAILED ->
                    "; a kernel faulted, possibly one launched before this call (run with -Dcascade.cuda.sync=true to"
                            + " synchronise after every launch and name the kernel)";
            case CUresult.CUDA_ERROR_INVALID_CONTEXT -> "; no CUDA context is current on this thread";
            default -> "";
        };
    }
}
