package dev.cascade.weights;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a model's tensors are exactly the ones its configuration implies, with the right
 * shapes, so that a wrong or mismatched file fails at load time with the tensor named, not inside a
 * kernel.
 */
public final class ModelTensors {
    private final Map<String, Tensor> tensors;
    private final Path file;
    private final Set<String> expected = new HashSet<>();

    private ModelTensors(Map<String, Tensor> tensors, Path file) {
        this.tensors = tensors;
        this.file = file;
    }

    public static void check(ModelConfig c, Map<String, Tensor> tensors, Path file) {
        new ModelTensors(tensors, file).checkAll(c);
    }

    private void checkAll(ModelConfig c) {
        expect(TensorNames.TOKEN_EMBEDDING, c.vocabSize(), c.dim());
        expect(TensorNames.OUTPUT_NORM, c.dim());
        if (!c.tiedEmbeddings()) {
            expect(TensorNames.OUTPUT, c.vocabSize(), c.dim());
        }
        for (int l = 0; l < c.layers(); l++) {
            expect(TensorNames.attnNorm(l), c.dim());
            expect(TensorNames.attnQ(l), c.qDim(), c.dim());
            expect(TensorNames.attnK(l), c.kvDim(), c.dim());
            expect(TensorNames.attnV(l), c.kvDim(), c.dim());
            expect(TensorNames.attnOutput(l), c.dim(), c.qDim());
            expect(TensorNames.ffnNorm(l), c.dim());
            expect(TensorNames.ffnGate(l), c.hiddenDim(), c.dim());
            expect(TensorNames.ffnUp(l), c.hiddenDim(), c.dim());
            expect(TensorNames.ffnDown(l), c.dim(), c.hiddenDim());
            if (c.attentionBias()) {
                expect(TensorNames.attnQBias(l), c.qDim());
                expect(TensorNames.attnKBias(l), c.kvDim());
                expect(TensorNames.attnVBias(l), c.kvDim());
            }
        }
        if (tensors.containsKey(TensorNames.ROPE_FREQS)) {
            expect(TensorNames.ROPE_FREQS, c.headDim() / 2);
        }
        Set<String> unused = new TreeSet<>(tensors.keySet());
        unused.removeAll(expected);
        if (!unused.isEmpty()) {
            throw new ModelFormatException(file, "has tensors the configuration does not account for: " + unused
                    + (unused.contains(TensorNames.OUTPUT) ? " (the configuration says the embeddings are tied)" : ""));
        }
    }

    private void expect(String name, long... shape) {
        expected.add(name);
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(file, "is missing tensor " + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException(file, "tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + " but the configuration implies " + Arrays.toString(shape));
        }
    }
}
