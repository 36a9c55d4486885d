package dev.cascade.weights.random;

import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.SyntheticModel;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TensorNames;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomModelsTest {

    @Test
    void theSameNameGivesTheSameWeights() {
        try (Model a = RandomModels.create("random:tiny:Q8_0", null); Model b = RandomModels.create("random:tiny:Q8_0", null)) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            for (String name : a.tensors().keySet()) {
                MemorySegment x = a.tensor(name).data();
                MemorySegment y = b.tensor(name).data();
                assertEquals(-1, x.mismatch(y), name);
            }
            assertEquals(DType.Q8_0, a.tensor(TensorNames.attnQ(0)).dtype());
            assertEquals(DType.F32, a.tensor(TensorNames.attnNorm(0)).dtype());
            assertEquals(Model.Format.RANDOM, a.format());
        }
    }

    @Test
    void dtypesDiffer() {
        try (Model f32 = RandomModels.create("random:tiny", null); Model q4 = RandomModels.create("random:tiny:q4_0", null)) {
            Tensor t = q4.tensor(TensorNames.ffnDown(1));
            assertEquals(DType.Q4_0, t.dtype());
            assertEquals(f32.tensor(TensorNames.ffnDown(1)).elementCount(), t.elementCount());
            assertTrue(t.data().byteSize() < f32.tensor(TensorNames.ffnDown(1)).data().byteSize() / 6);
        }
    }

    @Test
    void llama110mHas134MillionParameters() {
        long n = SyntheticModel.shapes(RandomModels.SHAPES.get("llama-110m")).values().stream()
                .mapToLong(Tensor::elementCount).sum();
        assertEquals(134_105_856L, n);
    }

    @Test
    void unknownShapesAndDtypesAreClearErrors() {
        ModelFormatException shape = assertThrows(ModelFormatException.class, () -> RandomModels.create("random:llama-7b", null));
        assertTrue(shape.getMessage().contains("llama-110m"), shape.getMessage());
        ModelFormatException dtype = assertThrows(ModelFormatException.class, () -> RandomModels.create("random:tiny:Q5_K", null));
        assertTrue(dtype.getMessage().contains("Q5_K"), dtype.getMessage());
    }

    @Test
    void aRandomModelCanSpeakThroughARealTokenizer() {
        java.nio.file.Path folder = java.nio.file.Path.of(System.getProperty("cascade.shared", "../shared"),
                "tokenizers/TinyLlama-TinyLlama-1.1B-Chat-v1.0");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(folder), "skipped: ../shared is absent");
        try (Model m = dev.cascade.weights.ModelLoader.open("random:llama-110m:Q4_0", folder)) {
            assertEquals(32000, m.tokenizer().vocabSize());
            assertEquals(java.util.List.of(2), m.eosTokenIds());
            assertEquals(1, m.bosTokenId());
            assertEquals(DType.Q4_0, m.tensor(TensorNames.attnQ(0)).dtype());
        }
        ModelFormatException tooBig = assertThrows(ModelFormatException.class,
                () -> dev.cascade.weights.ModelLoader.open("random:tiny", folder));
        assertTrue(tooBig.getMessage().contains("32000 tokens") && tooBig.getMessage().contains("vocabulary of 512"),
                tooBig.getMessage());
    }
}
