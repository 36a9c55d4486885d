package dev.cascade.kernels.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes every CPU kernel uses. The width is fixed at 256 bits (8 floats) rather than
 * the machine's preferred width, because the order in which a dot product's terms are added
 * depends on the lane count: a fixed width keeps results identical on AVX2 and AVX-512 machines,
 * and 8 float lanes line up with the 32-value blocks of the quantized formats.
 *
 * <p>One shape per element type, everywhere in the process: the JDK's vector classes share generic
 * methods (FloatVector.fma, ByteVector.fromMemorySegment), and when two shapes of one type run
 * through them their type profiles turn bimorphic; a C2 compile that sees such a profile can leave
 * a vector operation unintrinsified, and it then boxes every vector. (Tried: 512-bit quantized
 * products next to the 256-bit rest made RmsNorm's fma box in about one test run in four.)
 */
final class Lanes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    /** 8 shorts: one half/bfloat16 vector's worth of input for one float vector. */
    static final VectorSpecies<Short> S8 = ShortVector.SPECIES_128;
    /** 8 bytes: one float vector's worth of int8 input. */
    static final VectorSpecies<Byte> B8 = ByteVector.SPECIES_64;
    static final int FLOATS = F.length();

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /**
     * Shuffles for a lane sum written out in a kernel in the order of {@link #sum(float[], int)}:
     * add each to the vector in turn, halves, pairs, neighbours, and lane 0 holds the sum. Not a
     * helper taking the vector: C2 boxes a vector passed to a method it did not inline.
     */
    static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromValues(F, 4, 5, 6, 7, 0, 1, 2, 3);
    static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromValues(F, 2, 3, 0, 1, 6, 7, 4, 5);
    static final VectorShuffle<Float> SWAP_NEIGHBOURS = VectorShuffle.fromValues(F, 1, 0, 3, 2, 5, 4, 7, 6);

    private Lanes() {
    }

    /**
     * The sum of 8 lanes stored at t[o..o+8), in one fixed order, ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)).
     * {@code reduceLanes(ADD)} leaves the order to the implementation, and HotSpot's differs
     * between the interpreter (sequential) and C2 (pairwise), so a result would depend on how warm
     * the JIT is. Explicit lane-wise adds are IEEE operations with the same result in every tier.
     */
    static float sum(float[] t, int o) {
        return ((t[o] + t[o + 4]) + (t[o + 2] + t[o + 6])) + ((t[o + 1] + t[o + 5]) + (t[o + 3] + t[o + 7]));
    }
}
