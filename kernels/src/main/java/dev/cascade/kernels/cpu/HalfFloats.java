package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.I;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * IEEE half and bfloat16 to float32, a vector at a time. JDK 25's Vector API has no half-float
 * lane conversion (Float16 is scalar only), so halves are widened to int lanes and rebuilt with
 * bit operations; every conversion is exact.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    /**
     * Half bits to floats. The magnitude bits shifted into float position read as a float 2^112
     * times too small (the exponent biases differ by 127 - 15); one multiply by 2^112 fixes normals
     * and subnormals alike, exactly. Infinities and NaNs get the all-ones exponent back.
     */
    static FloatVector halfToFloat(ShortVector half) {
        IntVector h = (IntVector) half.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = h.and(0x7fff);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> infOrNan = magnitude.compare(VectorOperators.GE, 0x7c00);
        IntVector bits = finite.blend(shifted.or(0x7f800000), infOrNan);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return bits.or(sign).reinterpretAsFloats();
    }

    static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }
}
