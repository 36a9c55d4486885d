package dev.cascade.weights;

/**
 * Element types a weight tensor may be stored in. Quantized types are stored in blocks:
 * {@code blockSize} weights take {@code blockBytes} bytes (ggml's Q8_0: one F16 scale and 32
 * int8; Q4_0: one F16 scale and 16 bytes of packed 4-bit values).
 */
public enum DType {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    Q8_0(32, 34),
    Q4_0(32, 18);

    private final int blockSize;
    private final int blockBytes;

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int blockSize() {
        return blockSize;
    }

    public int blockBytes() {
        return blockBytes;
    }

    public boolean quantized() {
        return blockSize > 1;
    }

    /** Bytes taken by {@code elements} values; quantized types need a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    this + " stores blocks of " + blockSize + " values; " + elements + " is not a multiple");
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }
}
