package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every byte-level BPE GGUF vocabulary passes llama.cpp's test vectors (parse-special and add-special off). */
class GgufBpeVocabVectorsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt-2", "mpt", "falcon", "deepseek-llm", "deepseek-coder", "starcoder", "refact"})
    void encodesLikeLlamaCppVectors(String name) {
        Tokenizer tokenizer = TestTokenizers.gguf(name);
        assertInstanceOf(BpePipelineTokenizer.class, tokenizer, "tokenizer.ggml.model gpt2 gives byte-level BPE");
        Path gguf = SharedData.root().resolve("tokenizer-vectors/ggml-vocab-" + name + ".gguf");
        TokenizerVectors v = TokenizerVectors.read(gguf);
        List<String> failures = v.failures(text -> tokenizer.encode(text, false, false));
        assertEquals(46, v.inputs().size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + v.inputs().size() + " differ:\n" + String.join("\n", failures));
    }
}
