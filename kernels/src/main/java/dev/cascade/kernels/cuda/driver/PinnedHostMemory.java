package dev.cascade.kernels.cuda.driver;

import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Page-locked host memory (cuMemAllocHost), which asynchronous copies need: the per-step plan
 * goes to the GPU from here with one copy on the stream.
 */
public final class PinnedHostMemory implements AutoCloseable {
    private final Pointer pointer = new Pointer();
    private final long bytes;
    private final ByteBuffer buffer;
    private boolean freed;

    public PinnedHostMemory(long bytes) {
        CudaDriverException.check(JCudaDriver.cuMemAllocHost(pointer, bytes), "cuMemAllocHost(" + bytes + " bytes)");
        this.bytes = bytes;
        this.buffer = pointer.getByteBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public Pointer pointer() {
        return pointer;
    }

    /** The memory as a little-endian buffer (absolute puts only: its position is shared). */
    public ByteBuffer buffer() {
        return buffer;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!freed) {
            freed = true;
            CudaDriverException.check(JCudaDriver.cuMemFreeHost(pointer), "cuMemFreeHost");
        }
    }
}
