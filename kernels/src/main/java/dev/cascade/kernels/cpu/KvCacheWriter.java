package dev.cascade.kernels.cpu;

import java.lang.foreign.MemorySegment;

/** Stores freshly computed K and V rows into their slots of a layer's paged pools. */
public final class KvCacheWriter {

    private KvCacheWriter() {
    }

    /**
     * Copies row r of {@code k} and {@code v} (each [rows][kvHeads·headDim] float32, contiguous) to
     * slot {@code slots[r]} (= block · blockSize + offset within the block) of the pools.
     */
    public static void write(MemorySegment k, MemorySegment v, int rows, int[] slots,
                             PagedKvLayout layout, MemorySegment kPool, MemorySegment vPool) {
        long rowBytes = 4L * layout.tokenFloats();
        for (int r = 0; r < rows; r++) {
            long dst = layout.offset(slots[r], 0);
            MemorySegment.copy(k, r * rowBytes, kPool, dst, rowBytes);
            MemorySegment.copy(v, r * rowBytes, vPool, dst, rowBytes);
        }
    }
}
