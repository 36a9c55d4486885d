package dev.cascade.kernels.cuda.driver;

import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * A non-blocking stream: it does not wait for the legacy default stream, so work on it can be
 * captured into a CUDA graph. Everything the backend does runs on one.
 */
public final class CudaStream implements AutoCloseable {
    /** A CUstream whose handle we may read, to give cuBLAS. */
    static final class Handle extends CUstream {
        long value() {
            return getNativePointer();
        }
    }

    private final Handle handle = new Handle();
    private boolean destroyed;

    public CudaStream() {
        CudaDriverException.check(JCudaDriver.cuStreamCreate(handle, CUstream_flags.CU_STREAM_NON_BLOCKING),
                "cuStreamCreate(non-blocking)");
    }

    public CUstream jcuda() {
        return handle;
    }

    /** The raw cudaStream_t, for cuBLAS. */
    public long address() {
        return handle.value();
    }

    public void synchronize() {
        CudaDriverException.check(JCudaDriver.cuStreamSynchronize(handle), "cuStreamSynchronize");
    }

    @Override
    public void close() {
        if (!destroyed) {
            destroyed = true;
            CudaDriverException.check(JCudaDriver.cuStreamDestroy(handle), "cuStreamDestroy");
        }
    }
}
