package dev.cascade.bench;

import dev.cascade.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Random weight matrices in each stored format, for benchmarks (values are plausible, not trained). */
final class RandomWeights {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RandomWeights() {
    }

    /** A [rows][cols] matrix of weights around ±0.05 in {@code dtype}, 64-byte aligned. */
    static MemorySegment matrix(Arena arena, DType dtype, int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long bytes = dtype.byteSize((long) rows * cols);
        MemorySegment m = arena.allocate(bytes, 64);
        switch (dtype) {
            case F32 -> {
                for (long i = 0; i < bytes / 4; i++) {
                    m.setAtIndex(FLOAT, i, (float) (rnd.nextDouble(-0.05, 0.05)));
                }
            }
            case F16 -> {
                for (long i = 0; i < bytes / 2; i++) {
                    m.setAtIndex(SHORT, i, Float.floatToFloat16((float) rnd.nextDouble(-0.05, 0.05)));
                }
            }
            case BF16 -> {
                for (long i = 0; i < bytes / 2; i++) {
                    m.setAtIndex(SHORT, i, (short) (Float.floatToRawIntBits((float) rnd.nextDouble(-0.05, 0.05)) >>> 16));
                }
            }
            case Q8_0, Q4_0 -> {
                for (long i = 0; i < bytes; i++) {
                    m.set(ValueLayout.JAVA_BYTE, i, (byte) rnd.nextInt(256));
                }
                long blocks = bytes / dtype.blockBytes();
                for (long b = 0; b < blocks; b++) {
                    m.set(SHORT, b * dtype.blockBytes(), Float.floatToFloat16((float) rnd.nextDouble(0.0002, 0.0008)));
                }
            }
        }
        return m;
    }

    /** {@code n} random activations. */
    static MemorySegment activations(Arena arena, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(FLOAT, i, (float) rnd.nextDouble(-1, 1));
        }
        return s;
    }
}
