package dev.cascade.kernels.cuda;

import dev.cascade.kernels.cuda.driver.DeviceMemory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Copies a weight's bytes (a mapped file, native or heap memory) to the GPU in pieces a ByteBuffer can hold. */
final class HostUpload {
    /** Each copy's size: under a ByteBuffer's 2 GiB limit, and a temporary copy of it stays small. */
    static final long CHUNK = 256L << 20;

    private HostUpload() {
    }

    static void copy(MemorySegment src, DeviceMemory dst) {
        long n = src.byteSize();
        for (long off = 0; off < n; off += CHUNK) {
            long len = Math.min(CHUNK, n - off);
            ByteBuffer b = src.asSlice(off, len).asByteBuffer();
            if (!b.isDirect() && !b.hasArray()) {
                // a read-only heap buffer: JCuda can reach neither its address nor its array
                ByteBuffer copy = ByteBuffer.allocateDirect((int) len);
                copy.put(b).flip();
                b = copy;
            }
            dst.copyFromHost(off, b);
        }
    }
}
