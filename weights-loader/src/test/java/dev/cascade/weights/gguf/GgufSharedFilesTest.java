package dev.cascade.weights.gguf;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real GGUF files under ../shared: llama.cpp's vocabulary-only test files and stories260K. */
class GgufSharedFilesTest {

    @Test
    void everyVocabularyFileOpensWithItsTokens() throws IOException {
        Path root = SharedData.require("tokenizer-vectors");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path p : files) {
            try (GgufFile f = GgufFile.open(p)) {
                assertEquals(0, f.tensorInfos().size(), p.toString());
                GgufMetadata m = f.meta();
                String[] tokens = m.stringArray("tokenizer.ggml.tokens").orElseThrow();
                assertTrue(tokens.length > 1000, p + " has " + tokens.length + " tokens");
                assertTrue(m.string("tokenizer.ggml.model").isPresent(), p.toString());
                int[] types = m.intArray("tokenizer.ggml.token_type").orElseThrow();
                assertEquals(tokens.length, types.length, p.toString());
            }
        }
    }

    @Test
    void llamaSentencePieceVocabulary() {
        Path p = SharedData.require("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(3, f.version());
            assertEquals("llama", f.metadata().get("tokenizer.ggml.model"));
            String[] tokens = (String[]) f.metadata().get("tokenizer.ggml.tokens");
            float[] scores = (float[]) f.metadata().get("tokenizer.ggml.scores");
            assertEquals(32000, tokens.length);
            assertEquals(32000, scores.length);
            assertEquals("<s>", tokens[1]);
            assertEquals("<0x0A>", tokens[13]);
            assertEquals(1, f.meta().requireInt("tokenizer.ggml.bos_token_id"));
            assertEquals(2, f.meta().requireInt("tokenizer.ggml.eos_token_id"));
        }
    }

    @Test
    void gpt2VocabularyHasMerges() {
        Path p = SharedData.require("tokenizer-vectors/ggml-vocab-gpt-2.gguf");
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals("gpt2", f.metadata().get("tokenizer.ggml.model"));
            String[] merges = (String[]) f.metadata().get("tokenizer.ggml.merges");
            assertEquals(50000, merges.length);
            assertEquals("Ġ t", merges[0]);
        }
    }

    @Test
    void stories260KTensorTable() {
        Path p = SharedData.require("models/stories260K/stories260K.gguf");
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(48, f.tensorInfos().size());
            assertEquals("llama", f.metadata().get("general.architecture"));
            GgufTensorInfo embd = f.tensorInfo("token_embd.weight");
            assertEquals(GgmlType.F32, embd.type());
            assertEquals(List.of(512L, 64L), java.util.Arrays.stream(embd.shape()).boxed().toList());
            assertEquals(5, f.meta().requireInt("llama.block_count"));
        }
    }
}
