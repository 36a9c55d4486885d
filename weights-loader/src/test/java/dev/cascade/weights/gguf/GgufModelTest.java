package dev.cascade.weights.gguf;

import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.RopePermutation;
import dev.cascade.weights.SyntheticModel;
import dev.cascade.weights.TensorNames;
import dev.cascade.weights.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufModelTest {
    @TempDir
    Path dir;

    @Test
    void llamaInEveryDtypeReadsBackExactlyWithPermutedQk() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(false), 31);
        for (DType dtype : DType.values()) {
            Path p = dir.resolve(dtype + ".gguf");
            m.writeGguf(p, dtype);
            try (Model loaded = ModelLoader.loadWeights(p)) {
                ModelConfig c = loaded.config();
                assertEquals(Model.Format.GGUF, loaded.format());
                assertEquals(RopePairing.INTERLEAVED, c.ropePairing());
                assertEquals(m.config().dim(), c.dim());
                assertEquals(m.config().kvHeads(), c.kvHeads());
                assertEquals(m.config().vocabSize(), c.vocabSize());
                assertEquals(m.config().normEps(), c.normEps());
                assertFalse(c.tiedEmbeddings());
                assertEquals(List.of(2), loaded.eosTokenIds());
                for (String name : SyntheticModel.shapes(m.config()).keySet()) {
                    DType stored = loaded.tensor(name).rank() == 1 ? DType.F32 : dtype;
                    assertEquals(stored, loaded.tensor(name).dtype(), name);
                    assertArrayEquals(Quantization.encode(m.weight(name, RopePairing.INTERLEAVED), stored),
                            loaded.tensor(name).data().toArray(ValueLayout.JAVA_BYTE), name);
                }
                assertEquals("GGUF v3", loaded.summary().get("format"));
            }
        }
    }

    @Test
    void ggufAndHfCopiesOfOneModelDifferOnlyByTheQkPermutation() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 32);
        Path gguf = dir.resolve("m.gguf");
        m.writeGguf(gguf, DType.F32);
        m.writeHf(dir.resolve("hf"), DType.F32, 2);
        try (Model g = ModelLoader.loadWeights(gguf); Model h = ModelLoader.loadWeights(dir.resolve("hf"))) {
            ModelConfig c = h.config();
            assertEquals(h.tensors().keySet(), g.tensors().keySet());
            for (int l = 0; l < c.layers(); l++) {
                float[] hq = Quantization.toFloats(h.tensor(TensorNames.attnQ(l)));
                float[] gq = Quantization.toFloats(g.tensor(TensorNames.attnQ(l)));
                assertArrayEquals(RopePermutation.toInterleaved(hq, c.qDim(), c.dim(), c.heads()), gq);
                assertArrayEquals(hq, RopePermutation.toHalves(gq, c.qDim(), c.dim(), c.heads()));
                // row 1 of head 0 in GGUF is row d/2 of head 0 in HF
                assertEquals(hq[(c.headDim() / 2) * c.dim()], gq[c.dim()]);
                float[] hk = Quantization.toFloats(h.tensor(TensorNames.attnK(l)));
                float[] gk = Quantization.toFloats(g.tensor(TensorNames.attnK(l)));
                assertArrayEquals(RopePermutation.toInterleaved(hk, c.kvDim(), c.dim(), c.kvHeads()), gk);
                assertArrayEquals(Quantization.toFloats(h.tensor(TensorNames.ffnDown(l))),
                        Quantization.toFloats(g.tensor(TensorNames.ffnDown(l))));
            }
        }
    }

    @Test
    void qwen2KeepsHalvesPairingAndBiases() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.qwen2(), 33);
        Path p = dir.resolve("qwen.gguf");
        m.writeGguf(p, DType.Q8_0);
        try (Model loaded = ModelLoader.loadWeights(p)) {
            assertEquals("qwen2", loaded.config().architecture());
            assertEquals(RopePairing.HALVES, loaded.config().ropePairing());
            assertTrue(loaded.config().attentionBias());
            assertTrue(loaded.config().tiedEmbeddings());
            assertEquals(1000000f, loaded.config().ropeTheta());
            assertArrayEquals(Quantization.encode(m.weights().get(TensorNames.attnQ(0)), DType.Q8_0),
                    loaded.tensor(TensorNames.attnQ(0)).data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(m.weights().get(TensorNames.attnKBias(1)),
                    Quantization.toFloats(loaded.tensor(TensorNames.attnKBias(1))));
        }
    }

    @Test
    void unsupportedArchitectureAndMissingKeysAreNamed() {
        Path p = dir.resolve("gpt2.gguf");
        new GgufWriter().putString("general.architecture", "gpt2")
                .addTensor("token_embd.weight", DType.F32, new long[] {1}, new byte[4]).write(p);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(p));
        assertTrue(e.getMessage().contains("architecture gpt2 is not supported"), e.getMessage());

        Path q = dir.resolve("nokeys.gguf");
        new GgufWriter().putString("general.architecture", "llama").putUint32("llama.embedding_length", 64)
                .addTensor("token_embd.weight", DType.F32, new long[] {1}, new byte[4]).write(q);
        ModelFormatException k = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(q));
        assertTrue(k.getMessage().contains("llama.attention.head_count"), k.getMessage());

        Path v = dir.resolve("vocab.gguf");
        new GgufWriter().putString("tokenizer.ggml.model", "llama").write(v);
        ModelFormatException vocab = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(v));
        assertTrue(vocab.getMessage().contains("general.architecture"), vocab.getMessage());
    }

    @Test
    void quantizedTypesWeCannotComputeWithAreNamedAtLoad() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 34);
        Path p = dir.resolve("m.gguf");
        m.writeGguf(p, DType.Q4_0);
        byte[] b = dev.cascade.weights.TestFiles.read(p);
        String name = TensorNames.ffnUp(1);
        // Q4_0 -> Q4_1 changes the byte size (18 -> 20 per block); keep the file consistent by making it IQ4_NL (also 18)
        int typeField = dev.cascade.weights.TestFiles.indexOf(b, name) + name.length() + 4 + 16;
        dev.cascade.weights.TestFiles.putInt(b, typeField, GgmlType.IQ4_NL.id());
        Path q = dev.cascade.weights.TestFiles.write(dir.resolve("iq4.gguf"), b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(q));
        assertTrue(e.getMessage().contains("IQ4_NL") && e.getMessage().contains(name), e.getMessage());
    }
}
