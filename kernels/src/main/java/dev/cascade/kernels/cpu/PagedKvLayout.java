package dev.cascade.kernels.cpu;

/**
 * How one layer's paged KV pool is laid out. The K pool and the V pool are each float32
 * [numBlocks][blockSize][kvHeads][headDim]: block b holds {@code blockSize} consecutive tokens of a
 * sequence, and a sequence's block table lists its blocks in token order, so token t of a sequence
 * lives in block {@code table[t / blockSize]} at slot {@code t % blockSize}.
 */
public record PagedKvLayout(int blockSize, int kvHeads, int headDim) {

    public static final int DEFAULT_BLOCK_SIZE = 16;

    public PagedKvLayout {
        if (blockSize <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("bad KV layout " + blockSize + "x" + kvHeads + "x" + headDim);
        }
    }

    /** Floats per token: all KV heads. */
    public int tokenFloats() {
        return kvHeads * headDim;
    }

    /** Bytes of one block in one pool. */
    public long blockBytes() {
        return 4L * blockSize * tokenFloats();
    }

    /** Byte offset of (slot = block·blockSize + offset, kvHead) in a pool. */
    public long offset(long slot, int kvHead) {
        return 4L * (slot * tokenFloats() + (long) kvHead * headDim);
    }

    /** Byte offset of token {@code t} of a sequence with block table {@code table}, head {@code kvHead}. */
    public long offset(int[] table, int t, int kvHead) {
        return offset((long) table[t / blockSize] * blockSize + t % blockSize, kvHead);
    }
}
