package dev.cascade.kernels.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes every CPU kernel uses: 512 bits (16 floats) on machines whose vectors are that
 * wide, 256 bits (8 floats) elsewhere; {@code -Dcascade.cpu.vectorBits=256} or {@code 512} chooses.
 * The order in which a dot product's terms are added depends on the lane count, so the two widths
 * give slightly different bits, but one process always uses one width, so a result never depends
 * on batch, tiling or threads.
 *
 * <p>One shape per element type, everywhere in the process: the JDK's vector classes share generic
 * methods (FloatVector.fma, ByteVector.fromMemorySegment), and when two shapes of one type run
 * through them their type profiles turn bimorphic; a C2 compile that sees such a profile can leave
 * a vector operation unintrinsified, and it then boxes every vector. (Tried: 512-bit quantized
 * products next to 256-bit everything else made RmsNorm's fma box in about one test run in four.)
 * Hence every shape here follows the float width, and kernels take no other.
 */
final class Lanes {
    /** Whether this process's vectors are 512 bits wide. */
    static final boolean WIDE = wide(System.getProperty("cascade.cpu.vectorBits"));

    static final VectorSpecies<Float> F = WIDE ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I = WIDE ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    /** Half as many doubles as floats, for sums of floats widened in two halves. */
    static final VectorSpecies<Double> D = WIDE ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    /** One float vector's worth of half/bfloat16 input. */
    static final VectorSpecies<Short> S = WIDE ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
    /** One float vector's worth of int8 input. */
    static final VectorSpecies<Byte> B = WIDE ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    static final int FLOATS = F.length();

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /**
     * Shuffles for a lane sum written out in a kernel in the order of {@link #sum(float[], int)}:
     * add each to the vector in turn (EIGHTS only when 16 wide), halves, pairs, neighbours, and
     * lane 0 holds the sum. Not a helper taking the vector: C2 boxes a vector passed to a method it
     * did not inline.
     */
    static final VectorShuffle<Float> SWAP_EIGHTS = swap(8);
    static final VectorShuffle<Float> SWAP_HALVES = swap(4);
    static final VectorShuffle<Float> SWAP_PAIRS = swap(2);
    static final VectorShuffle<Float> SWAP_NEIGHBOURS = swap(1);

    private Lanes() {
    }

    /** Lane i takes lane i xor k (k = 8 swaps only when 16 wide; on 8 lanes it is the identity). */
    private static VectorShuffle<Float> swap(int k) {
        return VectorShuffle.fromOp(F, i -> (i ^ k) % FLOATS);
    }

    /**
     * The sum of the FLOATS lanes stored at t[o..o+FLOATS), in one fixed order: 8 lanes as
     * ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)), 16 lanes the same over a_i + a_(i+8).
     * {@code reduceLanes(ADD)} leaves the order to the implementation, and HotSpot's differs
     * between the interpreter (sequential) and C2 (pairwise), so a result would depend on how warm
     * the JIT is. Explicit lane-wise adds are IEEE operations with the same result in every tier.
     */
    static float sum(float[] t, int o) {
        if (WIDE) {
            return (((t[o] + t[o + 8]) + (t[o + 4] + t[o + 12])) + ((t[o + 2] + t[o + 10]) + (t[o + 6] + t[o + 14])))
                    + (((t[o + 1] + t[o + 9]) + (t[o + 5] + t[o + 13])) + ((t[o + 3] + t[o + 11]) + (t[o + 7] + t[o + 15])));
        }
        return ((t[o] + t[o + 4]) + (t[o + 2] + t[o + 6])) + ((t[o + 1] + t[o + 5]) + (t[o + 3] + t[o + 7]));
    }

    /** Whether the machine's vectors hold 16 floats as instructions, not as Java loops. */
    static boolean wideVectorsSupported() {
        return FloatVector.SPECIES_PREFERRED.length() >= 16;
    }

    static boolean wide(String vectorBits) {
        if (vectorBits == null || vectorBits.isBlank()) {
            return wideVectorsSupported();
        }
        return switch (vectorBits.strip()) {
            case "256" -> false;
            case "512" -> {
                if (!wideVectorsSupported()) {
                    throw new IllegalArgumentException("cascade.cpu.vectorBits=512, but this machine's vectors are "
                            + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits wide (512-bit kernels would run"
                            + " as Java loops, not vector instructions)");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("cascade.cpu.vectorBits must be 256 or 512, got '" + vectorBits + "'");
        };
    }
}
