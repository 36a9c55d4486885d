package dev.cascade.kernels.cuda.cublas;

/** A cuBLAS call returned an error status; the message names the call, its arguments and the status. */
public final class CublasException extends RuntimeException {
    private final int status;

    public CublasException(String call, int status, String statusText) {
        super(call + " failed: " + CublasStatus.name(status) + " (" + status + ")"
                + (statusText == null || statusText.isBlank() ? "" : ": " + statusText) + CublasStatus.hint(status));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
