package dev.cascade.weights.llama2c;

import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.TensorNames;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes a legacy (version 0) llama2.c checkpoint from tensors named by {@link TensorNames}, in the
 * order llama2.c's export does, with the RoPE cos/sin tables computed as it computes them.
 */
public final class Llama2cWriter {
    private Llama2cWriter() {
    }

    public static void write(Path path, Llama2cHeader h, Map<String, float[]> tensors) {
        h.validate(path);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
            for (int v : new int[] {h.dim(), h.hiddenDim(), h.layers(), h.heads(), h.kvHeads(), h.vocabSize(), h.seqLen()}) {
                out.writeInt(Integer.reverseBytes(v));
            }
            long d = h.dim();
            floats(out, tensors, TensorNames.TOKEN_EMBEDDING, (long) h.vocab() * d);
            layers(out, tensors, h, TensorNames::attnNorm, d);
            layers(out, tensors, h, TensorNames::attnQ, d * d);
            layers(out, tensors, h, TensorNames::attnK, h.kvDim() * d);
            layers(out, tensors, h, TensorNames::attnV, h.kvDim() * d);
            layers(out, tensors, h, TensorNames::attnOutput, d * d);
            layers(out, tensors, h, TensorNames::ffnNorm, d);
            layers(out, tensors, h, TensorNames::ffnGate, h.hiddenDim() * d);
            layers(out, tensors, h, TensorNames::ffnDown, d * h.hiddenDim());
            layers(out, tensors, h, TensorNames::ffnUp, h.hiddenDim() * d);
            floats(out, tensors, TensorNames.OUTPUT_NORM, d);
            ropeTables(out, h);
            if (!h.sharedClassifier()) {
                floats(out, tensors, TensorNames.OUTPUT, (long) h.vocab() * d);
            }
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void ropeTables(DataOutputStream out, Llama2cHeader h) throws IOException {
        int half = h.headSize() / 2;
        for (int table = 0; table < 2; table++) {
            for (int pos = 0; pos < h.seqLen(); pos++) {
                for (int i = 0; i < half; i++) {
                    double freq = 1.0 / Math.pow(10000.0, (2.0 * i) / h.headSize());
                    double angle = pos * freq;
                    write(out, (float) (table == 0 ? Math.cos(angle) : Math.sin(angle)));
                }
            }
        }
    }

    private static void layers(DataOutputStream out, Map<String, float[]> tensors, Llama2cHeader h,
                               IntFunction<String> name, long size) throws IOException {
        for (int l = 0; l < h.layers(); l++) {
            floats(out, tensors, name.apply(l), size);
        }
    }

    private static void floats(DataOutputStream out, Map<String, float[]> tensors, String name, long size)
            throws IOException {
        float[] v = tensors.get(name);
        if (v == null || v.length != size) {
            throw new IllegalArgumentException(name + ": expected " + size + " floats, got "
                    + (v == null ? "none" : v.length));
        }
        for (float f : v) {
            write(out, f);
        }
    }

    private static void write(DataOutputStream out, float f) throws IOException {
        out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(f)));
    }
}
