package dev.cascade.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    @Test
    void ggufModel() {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        CliRun run = CliRun.of("inspect", "--model", gguf);
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("format           gguf"), out);
        assertTrue(out.contains("architecture     llama"), out);
        assertTrue(out.contains("dim              64"), out);
        assertTrue(out.contains("hidden dim       172"), out);
        assertTrue(out.contains("layers           5"), out);
        assertTrue(out.contains("kv heads         4"), out);
        assertTrue(out.contains("vocab size       512"), out);
        assertTrue(out.contains("tensors          48"), out);
        assertTrue(out.contains("F32 ×48"), out);
        assertTrue(out.contains("file size        1,185,376 bytes"), out);
    }

    @Test
    void llama2cModelCountsItsParameters() {
        String bin = SharedPaths.require("models/stories260K/stories260K.bin");
        CliRun run = CliRun.of("inspect", "--model", bin);
        assertEquals(0, run.exitCode(), run.err());
        // embedding 32768 + 5 layers × (2×64 norms + 64×64×2 + 32×64×2 + 3×172×64) + final norm 64
        long expected = 32768 + 5L * (2 * 64 + 2 * 64 * 64 + 2 * 32 * 64 + 3 * 172 * 64) + 64;
        assertTrue(run.out().contains(String.format("parameters       %,d", expected)), run.out());
        assertTrue(run.out().contains("format           llama2c"), run.out());
    }

    @Test
    void corruptFileIsOneClearLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("broken.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1});
        CliRun run = CliRun.of("inspect", "--model", bad.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("broken.gguf"), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void huggingFaceFolderWithSharding(@TempDir Path dir) {
        dev.cascade.weights.ModelConfig c = new dev.cascade.weights.ModelConfig("qwen2", 64, 128, 2, 4, 2, 16, 300, 256,
                1e-6f, 1e6f, null, dev.cascade.weights.RopePairing.HALVES, true, true, 0);
        dev.cascade.weights.SyntheticModel.random(c, 5).writeHf(dir, dev.cascade.weights.DType.BF16, 3);
        CliRun run = CliRun.of("inspect", "--model", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("format           safetensors"), out);
        assertTrue(out.contains("architecture     qwen2"), out);
        assertTrue(out.contains("attention bias   true"), out);
        assertTrue(out.contains("tied embeddings  true"), out);
        assertTrue(out.contains("BF16 ×"), out);
        assertTrue(out.contains("3 files"), out);
        assertTrue(out.contains("tokenizer        none"), out);
    }
}
