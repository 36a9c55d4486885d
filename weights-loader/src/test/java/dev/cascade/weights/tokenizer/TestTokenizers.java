package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import dev.cascade.weights.gguf.GgufFile;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The shared reference tokenizers, loaded once per test run (tokenizers are immutable, and loading takes a second). */
final class TestTokenizers {
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private TestTokenizers() {
    }

    /** The tokenizer.json folder ../shared/tokenizers/{folder}; skips the test when absent. */
    static Tokenizer hf(String folder) {
        Path dir = SharedData.require("tokenizers/" + folder);
        return LOADED.computeIfAbsent("hf:" + folder, k -> HfTokenizerJson.load(dir));
    }

    /** The GGUF vocabulary ../shared/tokenizer-vectors/ggml-vocab-{name}.gguf; skips the test when absent. */
    static Tokenizer gguf(String name) {
        Path path = SharedData.require("tokenizer-vectors/ggml-vocab-" + name + ".gguf");
        return LOADED.computeIfAbsent("gguf:" + name, k -> {
            try (GgufFile file = GgufFile.open(path)) {
                return Tokenizers.fromGguf(file.metadata(), path);
            }
        });
    }
}
