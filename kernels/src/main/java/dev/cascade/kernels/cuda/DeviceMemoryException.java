package dev.cascade.kernels.cuda;

/** A model, with its KV cache and buffers, would not fit in the GPU's free memory. */
public final class DeviceMemoryException extends RuntimeException {
    public DeviceMemoryException(String message) {
        super(message);
    }
}
