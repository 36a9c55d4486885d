package dev.cascade.weights.llama2c;

import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.SyntheticModel;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TensorNames;
import dev.cascade.weights.TestConfigs;
import dev.cascade.weights.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cTest {
    @TempDir
    Path dir;

    private static void assertSameWeights(SyntheticModel expected, Model loaded) {
        for (String name : SyntheticModel.shapes(expected.config()).keySet()) {
            Tensor t = loaded.tensor(name);
            assertArrayEquals(expected.weight(name, RopePairing.INTERLEAVED), Quantization.toFloats(t), name);
        }
        assertEquals(SyntheticModel.shapes(expected.config()).size(), loaded.tensors().size());
    }

    @Test
    void untiedAndTiedCheckpointsReadBackExactly() {
        for (boolean tied : new boolean[] {false, true}) {
            SyntheticModel m = SyntheticModel.random(TestConfigs.llama(tied), 5);
            Path p = dir.resolve("m" + tied + ".bin");
            m.writeLlama2c(p);
            try (Model loaded = ModelLoader.loadWeights(p)) {
                ModelConfig c = loaded.config();
                assertEquals(Model.Format.LLAMA2C, loaded.format());
                assertEquals(64, c.dim());
                assertEquals(96, c.hiddenDim());
                assertEquals(2, c.kvHeads());
                assertEquals(40, c.vocabSize());
                assertEquals(128, c.contextLength());
                assertEquals(RopePairing.INTERLEAVED, c.ropePairing());
                assertEquals(tied, c.tiedEmbeddings());
                assertEquals(tied, !loaded.tensors().containsKey(TensorNames.OUTPUT));
                assertEquals(List.of(1), loaded.eosTokenIds());
                assertNull(loaded.tokenizer());
                assertSameWeights(m, loaded);
                assertTrue(loaded.tensor(TensorNames.attnQ(1)).data().isMapped());
            }
        }
    }

    @Test
    void sizeMismatchIsNamed() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 6);
        Path p = dir.resolve("m.bin");
        m.writeLlama2c(p);
        byte[] whole = TestFiles.read(p);
        for (int cut : new int[] {0, 3, 27, 28, 100, whole.length - 1}) {
            Path broken = TestFiles.write(dir.resolve("cut.bin"), TestFiles.prefix(whole, cut));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(broken));
            assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        }
        Path longer = TestFiles.write(dir.resolve("long.bin"), TestFiles.prefix(whole, whole.length + 4));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(longer));
        assertTrue(e.getMessage().contains("implies " + whole.length + " bytes"), e.getMessage());
        // flipping the vocab sign claims a classifier the file does not have
        byte[] untied = whole.clone();
        TestFiles.putInt(untied, 20, -40);
        Path claims = TestFiles.write(dir.resolve("claims.bin"), untied);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(claims)).getMessage()
                .contains("truncated"));
    }

    @Test
    void nonsenseHeadersAreRejected() {
        byte[] header = new byte[28 + 64];
        int[][] cases = {{0, 96, 2, 4, 2, 40, 128}, {64, 96, 2, 5, 1, 40, 128}, {64, 96, 2, 4, 3, 40, 128},
                {64, 96, -2, 4, 2, 40, 128}, {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1, 1, 1}};
        for (int[] h : cases) {
            for (int i = 0; i < 7; i++) {
                TestFiles.putInt(header, 4 * i, h[i]);
            }
            Path p = TestFiles.write(dir.resolve("bad.bin"), header);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(p));
            assertTrue(e.getMessage().contains("bad.bin"), e.getMessage());
        }
        byte[] v1 = header.clone();
        System.arraycopy("ak42".getBytes(), 0, v1, 0, 4);
        TestFiles.putInt(v1, 4, 1);
        Path p = TestFiles.write(dir.resolve("v1.bin"), v1);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelLoader.loadWeights(p)).getMessage()
                .contains("export version 1"));
    }

    @Test
    void headerArithmeticMatchesTheDocumentedFile() {
        Llama2cHeader h = new Llama2cHeader(64, 172, 5, 8, 4, 512, 512);
        assertEquals(1_056_540, h.expectedFileBytes());
        assertFalse(new Llama2cHeader(64, 172, 5, 8, 4, -512, 512).sharedClassifier());
        assertEquals(1_056_540 + 512 * 64 * 4, new Llama2cHeader(64, 172, 5, 8, 4, -512, 512).expectedFileBytes());
    }
}
