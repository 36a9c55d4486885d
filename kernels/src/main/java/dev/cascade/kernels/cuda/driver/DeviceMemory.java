package dev.cascade.kernels.cuda.driver;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;

/**
 * One device allocation (cuMemAlloc). Its address is also handed out as a plain long, for cuBLAS
 * and for kernel arguments. Freed by {@link #close}.
 */
public final class DeviceMemory implements AutoCloseable {
    private final Address base;
    private final long bytes;
    private final String what;
    private boolean freed;

    /** A CUdeviceptr whose address we may read (JCuda keeps it protected). */
    static final class Address extends CUdeviceptr {
        Address() {
        }

        Address(Address base, long offset) {
            super(base, offset);
        }

        long value() {
            return getNativePointer() + getByteOffset();
        }
    }

    private DeviceMemory(Address base, long bytes, String what) {
        this.base = base;
        this.bytes = bytes;
        this.what = what;
    }

    /** {@code bytes} of device memory; {@code what} names it in error messages. */
    public static DeviceMemory allocate(long bytes, String what) {
        if (bytes <= 0) {
            throw new IllegalArgumentException(what + ": cannot allocate " + bytes + " bytes");
        }
        Address a = new Address();
        CudaDriverException.check(JCudaDriver.cuMemAlloc(a, bytes), "cuMemAlloc(" + bytes + " bytes for " + what + ")");
        return new DeviceMemory(a, bytes, what);
    }

    public long address() {
        return base.value();
    }

    /** The address {@code offset} bytes in. */
    public long address(long offset) {
        checkRange(offset, 0);
        return base.value() + offset;
    }

    public long bytes() {
        return bytes;
    }

    public String what() {
        return what;
    }

    /** A JCuda pointer {@code offset} bytes in. */
    public CUdeviceptr pointer(long offset) {
        checkRange(offset, 0);
        return offset == 0 ? base : new Address(base, offset);
    }

    /**
     * Copies host bytes in, waiting until they are on the device. From pageable memory cuMemcpyHtoD
     * returns once the bytes are staged, before the DMA has finished, and our non-blocking stream
     * does not wait for the legacy stream that copy runs on: hence the context synchronisation, so
     * that work queued next on any stream sees the bytes (this is for loading, not per-step work).
     */
    public void copyFromHost(long offset, Pointer host, long n) {
        checkRange(offset, n);
        CudaDriverException.check(JCudaDriver.cuMemcpyHtoD(pointer(offset), host, n),
                "cuMemcpyHtoD(" + n + " bytes into " + what + " at " + offset + ")");
        CudaDriverException.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize after copying into " + what);
    }

    /** Copies a buffer's remaining bytes in (a direct buffer, or one backed by an array), waiting until done. */
    public void copyFromHost(long offset, ByteBuffer host) {
        copyFromHost(offset, Pointer.to(host), host.remaining());
    }

    /** Copies from pinned host memory on a stream; the host memory must stay as it is until the copy has run. */
    public void copyFromHostAsync(long offset, Pointer pinned, long n, CUstream stream) {
        checkRange(offset, n);
        CudaDriverException.check(JCudaDriver.cuMemcpyHtoDAsync(pointer(offset), pinned, n, stream),
                "cuMemcpyHtoDAsync(" + n + " bytes into " + what + " at " + offset + ")");
    }

    /** Copies out to host memory (an array or buffer), waiting until done. Synchronise the stream that wrote it first. */
    public void copyToHost(long offset, Pointer host, long n) {
        checkRange(offset, n);
        CudaDriverException.check(JCudaDriver.cuMemcpyDtoH(host, pointer(offset), n),
                "cuMemcpyDtoH(" + n + " bytes from " + what + " at " + offset + ")");
    }

    /** Fills {@code n} 32-bit words with {@code value} on a stream. */
    public void fill32(long offset, int value, long n, CUstream stream) {
        checkRange(offset, 4 * n);
        CudaDriverException.check(JCudaDriver.cuMemsetD32Async(pointer(offset), value, n, stream),
                "cuMemsetD32Async(" + n + " words of " + what + ")");
    }

    private void checkRange(long offset, long n) {
        if (freed) {
            throw new IllegalStateException(what + " was freed");
        }
        if (offset < 0 || n < 0 || offset + n > bytes) {
            throw new IndexOutOfBoundsException(what + ": " + n + " bytes at " + offset + " do not fit in " + bytes);
        }
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            CudaDriverException.check(JCudaDriver.cuMemFree(base), "cuMemFree(" + what + ")");
        }
    }
}
