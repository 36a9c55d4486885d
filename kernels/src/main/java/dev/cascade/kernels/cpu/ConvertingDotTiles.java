package dev.cascade.kernels.cpu;

import static dev.cascade.kernels.cpu.Lanes.F;
import static dev.cascade.kernels.cpu.Lanes.FLOAT;
import static dev.cascade.kernels.cpu.Lanes.FLOATS;
import static dev.cascade.kernels.cpu.Lanes.LE;
import static dev.cascade.kernels.cpu.Lanes.S;
import static dev.cascade.kernels.cpu.Lanes.SHORT;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Dot products of BF16 weight rows with one activation row, converting the weights to float in
 * registers (two instructions per vector, no round trip through a scratch buffer). Used for
 * single-row products, where each weight is used once and the matrix streams from memory. F16
 * decodes instead (its conversion is one instruction in a plain loop, see
 * {@link RowDecoder#decodeF16(MemorySegment, long, int, short[], float[], int)}), and quantized
 * rows have their own arithmetic ({@link QuantizedDotTiles}).
 *
 * <p>The arithmetic is exactly {@link ArrayDotTiles}': the converted weights are exact (see
 * {@link RowDecoder}), terms are added with one 8-lane FMA accumulator per row in index order,
 * reduced with {@link Lanes#sum(float[], int)}, and any tail is added by scalar FMA. A row computed here is
 * bit-identical to the same row computed by decoding first, which keeps batching invisible.
 *
 * <p>Each method handles a whole range of rows, one at a time, with every conversion written out
 * in its loop. C2 parses every Vector API call into hundreds of IR nodes; a bigger body, or a
 * vector passed through a helper it does not inline, leaves vectors boxed on the heap, which
 * measured 2-30x slower.
 */
final class ConvertingDotTiles {

    private ConvertingDotTiles() {
    }

    static void bf16(MemorySegment w, long rowBytes, int r0, int rows, MemorySegment x, long xa, int in,
                     MemorySegment y, long ya, float[] lanes) {
        int vecEnd = in - in % FLOATS;
        for (int r = 0; r < rows; r++) {
            long w0 = (r0 + r) * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < vecEnd; i += FLOATS) {
                FloatVector wf = ((IntVector) ShortVector.fromMemorySegment(S, w, w0 + 2L * i, LE)
                        .convertShape(VectorOperators.S2I, Lanes.I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                acc = wf.fma(FloatVector.fromMemorySegment(F, x, xa + 4L * i, LE), acc);
            }
            acc.intoArray(lanes, 0);
            float sum = Lanes.sum(lanes, 0);
            for (int i = vecEnd; i < in; i++) {
                sum = Math.fma(HalfFloats.bfloat16ToFloat(w.get(SHORT, w0 + 2L * i)), x.get(FLOAT, xa + 4L * i), sum);
            }
            y.set(FLOAT, ya + 4L * r, sum);
        }
    }
}
