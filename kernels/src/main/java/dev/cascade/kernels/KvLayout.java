package dev.cascade.kernels;

/**
 * Shape of the paged cache: per layer, a pool of {@code blocks} blocks, each holding
 * {@code blockSize} tokens × {@code kvHeads} heads × {@code headDim} floats of keys, and as much
 * of values. Token t of a sequence lives in block {@code blockTable[t / blockSize]} at offset
 * {@code t % blockSize}; its slot is {@code block · blockSize + offset}.
 */
public record KvLayout(int layers, int blocks, int blockSize, int kvHeads, int headDim) {

    public static final int DEFAULT_BLOCK_SIZE = 16;

    public KvLayout {
        if (layers <= 0 || blocks <= 0 || blockSize <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("invalid KV layout: " + layers + " layers, " + blocks + " blocks of "
                    + blockSize + " tokens, " + kvHeads + " heads of " + headDim);
        }
    }

    /** Floats of keys (or of values) per token and layer. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Bytes of keys and values for one token in all layers. */
    public long bytesPerToken() {
        return 2L * layers * kvDim() * Float.BYTES;
    }

    public long totalBytes() {
        return bytesPerToken() * blocks * blockSize;
    }

    public long tokens() {
        return (long) blocks * blockSize;
    }

    /** How many blocks of this shape fit in a byte budget. */
    public static int blocksFor(long bytes, int layers, int blockSize, int kvHeads, int headDim) {
        long perBlock = 2L * layers * kvHeads * headDim * Float.BYTES * blockSize;
        return (int) Math.min(Integer.MAX_VALUE, bytes / perBlock);
    }
}
