package dev.cascade.weights.llama2c;

import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.RopePairing;

import java.nio.file.Path;

/**
 * The seven int32 at the start of a legacy (version 0) llama2.c checkpoint.
 *
 * @param vocabSize        the stored value: positive when the classifier is the embedding table,
 *                         negative when a separate classifier follows the RoPE tables
 */
public record Llama2cHeader(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int seqLen) {
    public static final int BYTES = 7 * 4;

    public boolean sharedClassifier() {
        return vocabSize > 0;
    }

    public int vocab() {
        return Math.abs(vocabSize);
    }

    public int headSize() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headSize();
    }

    /** Checks the fields make sense, so the size arithmetic below cannot mislead. */
    public void validate(Path file) {
        if (dim <= 0 || hiddenDim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || seqLen <= 0
                || vocabSize == 0 || vocabSize == Integer.MIN_VALUE) {
            throw new ModelFormatException(file, "not a llama2.c checkpoint: header " + this
                    + " has a non-positive field");
        }
        if (dim % heads != 0 || heads % kvHeads != 0 || headSize() % 2 != 0) {
            throw new ModelFormatException(file, "llama2.c header " + this + " is inconsistent: dim must split into"
                    + " heads of even size and kv_heads must divide heads");
        }
    }

    /** Floats the file holds after the header, or -1 when the count overflows. */
    public long expectedFloats() {
        try {
            long d = dim;
            long l = layers;
            long perLayer = Math.addExact(Math.multiplyExact(2, d), Math.multiplyExact(d, Math.addExact(
                    Math.multiplyExact(2, d), Math.multiplyExact(2, (long) kvDim()))));
            perLayer = Math.addExact(perLayer, Math.multiplyExact(3, Math.multiplyExact(d, (long) hiddenDim)));
            long n = Math.multiplyExact(vocab(), d);
            n = Math.addExact(n, Math.multiplyExact(l, perLayer));
            n = Math.addExact(n, d);
            n = Math.addExact(n, Math.multiplyExact((long) seqLen, (long) headSize()));  // cos and sin tables
            if (!sharedClassifier()) {
                n = Math.addExact(n, Math.multiplyExact(vocab(), d));
            }
            return n;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    public long expectedFileBytes() {
        long floats = expectedFloats();
        return floats < 0 || floats > (Long.MAX_VALUE - BYTES) / 4 ? -1 : BYTES + floats * 4;
    }

    /** llama2.c's run.c uses eps 1e-5 and theta 10000 for every checkpoint; pairs are interleaved. */
    public ModelConfig toConfig() {
        return new ModelConfig("llama", dim, hiddenDim, layers, heads, kvHeads, headSize(), vocab(), seqLen,
                1e-5f, 10000f, null, RopePairing.INTERLEAVED, false, sharedClassifier(), 0);
    }
}
