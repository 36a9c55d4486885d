package dev.cascade.kernels.cuda;

/**
 * The CUDA backend cannot run here, and why (no kernels built, no driver, no GPU, driver too old,
 * no cuBLAS): the message is meant for the user as it stands.
 */
public final class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String reason) {
        super(reason);
    }

    public CudaUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
