package dev.cascade.weights;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real tiny Llama 2 in ../shared, as llama2.c .bin and as GGUF: same config, same bits. */
class Stories260KTest {
    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static void assertDocumentedConfig(ModelConfig c) {
        assertEquals(64, c.dim());
        assertEquals(172, c.hiddenDim());
        assertEquals(5, c.layers());
        assertEquals(8, c.heads());
        assertEquals(4, c.kvHeads());
        assertEquals(8, c.headDim());
        assertEquals(512, c.vocabSize());
        assertEquals(1e-5f, c.normEps());
        assertEquals(10000f, c.ropeTheta());
        assertEquals(RopePairing.INTERLEAVED, c.ropePairing());
    }

    @Test
    void binAndGgufHoldTheSameModel() {
        Path bin = SharedData.require("models/stories260K/stories260K.bin");
        Path gguf = SharedData.require("models/stories260K/stories260K.gguf");
        try (Model b = ModelLoader.loadWeights(bin); Model g = ModelLoader.loadWeights(gguf)) {
            assertDocumentedConfig(b.config());
            assertDocumentedConfig(g.config());
            assertEquals(512, b.config().contextLength());
            assertEquals(2048, g.config().contextLength());
            assertTrue(b.config().tiedEmbeddings());
            assertFalse(g.config().tiedEmbeddings());
            assertEquals(47, b.tensors().size());
            assertEquals(48, g.tensors().size());
            assertEquals(1_056_540, b.fileBytes());
            assertEquals(List.of(1), b.eosTokenIds());
            assertEquals(1, g.bosTokenId());
            for (Tensor t : b.tensors().values()) {
                Tensor other = g.tensor(t.name());
                assertEquals(DType.F32, other.dtype());
                assertArrayEquals(t.shape(), other.shape(), t.name());
                assertArrayEquals(t.data().toArray(ValueLayout.JAVA_BYTE), other.data().toArray(ValueLayout.JAVA_BYTE),
                        t.name());
            }
            assertArrayEquals(b.tensor(TensorNames.TOKEN_EMBEDDING).data().toArray(ValueLayout.JAVA_BYTE),
                    g.tensor(TensorNames.OUTPUT).data().toArray(ValueLayout.JAVA_BYTE));
            // the documented offset of wq: layer 0 starts at byte 132,380 of the .bin
            float first = b.tensor(TensorNames.attnQ(0)).data().get(LE_FLOAT, 0);
            float atOffset = java.nio.ByteBuffer.wrap(TestFiles.read(bin)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getFloat(132_380);
            assertEquals(first, atOffset);
        }
    }
}
