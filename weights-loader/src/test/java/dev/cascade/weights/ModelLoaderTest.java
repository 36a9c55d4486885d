package dev.cascade.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoaderTest {
    @TempDir
    Path dir;

    private void fails(Runnable r, String... parts) {
        ModelFormatException e = assertThrows(ModelFormatException.class, r::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void pathsThatAreNoModelGiveClearErrors() throws IOException {
        Path missing = dir.resolve("nope.gguf");
        fails(() -> ModelLoader.loadWeights(missing), missing.toString(), "does not exist");
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        fails(() -> ModelLoader.loadWeights(empty), "empty.bin", "empty");
        Path odd = Files.writeString(dir.resolve("model.pt"), "x");
        fails(() -> ModelLoader.loadWeights(odd), "model.pt", "unknown model file type '.pt'", ".gguf");
        Path lone = Files.writeString(dir.resolve("w.safetensors"), "x");
        fails(() -> ModelLoader.loadWeights(lone), "config.json");
        Path tokenizerOnly = Files.createDirectories(dir.resolve("tok"));
        Files.writeString(tokenizerOnly.resolve("tokenizer.json"), "{}");
        fails(() -> ModelLoader.loadWeights(tokenizerOnly), "no config.json");
        fails(() -> ModelLoader.loadWeights(null), "no model path");
    }

    @Test
    void formatIsDetectedFromThePath() {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 41);
        m.writeHf(dir.resolve("hf"), DType.F32, 1);
        m.writeGguf(dir.resolve("m.gguf"), DType.F16);
        m.writeLlama2c(dir.resolve("m.bin"));
        assertEquals(Model.Format.SAFETENSORS, ModelLoader.detect(dir.resolve("hf")));
        assertEquals(Model.Format.SAFETENSORS, ModelLoader.detect(dir.resolve("hf/model.safetensors")));
        assertEquals(Model.Format.GGUF, ModelLoader.detect(dir.resolve("m.gguf")));
        assertEquals(Model.Format.LLAMA2C, ModelLoader.detect(dir.resolve("m.bin")));
        try (Model viaFile = ModelLoader.loadWeights(dir.resolve("hf/model.safetensors"))) {
            assertEquals(m.config(), viaFile.config());
            assertTrue(viaFile.fileBytes() > viaFile.weightBytes());
        }
    }

    @Test
    void tokenizerRequestsThatCannotBeMetAreExplained() throws IOException {
        SyntheticModel m = SyntheticModel.random(TestConfigs.llama(true), 42);
        Path bin = dir.resolve("m.bin");
        m.writeLlama2c(bin);
        fails(() -> ModelLoader.loadTokenizer(bin, null), "carries no tokenizer");
        Path tokBin = Files.write(dir.resolve("tok.bin"), new byte[] {1, 2, 3, 4});
        fails(() -> ModelLoader.loadTokenizer(null, tokBin), "vocabulary size");
        Path folder = Files.createDirectories(dir.resolve("empty-folder"));
        fails(() -> ModelLoader.loadTokenizer(folder, null), "no tokenizer.json");
        Path txt = Files.writeString(dir.resolve("vocab.txt"), "a");
        fails(() -> ModelLoader.loadTokenizer(bin, txt), "unknown tokenizer file type '.txt'");
        // llama2.c weights load without a tokenizer when none is given
        try (Model loaded = ModelLoader.load(bin, null)) {
            assertEquals(null, loaded.tokenizer());
        }
    }
}
