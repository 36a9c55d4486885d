package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Token sequences whose bytes are not valid UTF-8 decode as Hugging Face decodes them. The
 * expected strings were read off tokenizers 0.23.2.
 */
class InvalidUtf8DecodeTest {

    @Test
    void byteLevelDecodeReplacesEachMaximalSubpart() {
        Tokenizer gpt2 = HfTokenizerJson.load(SharedData.require("tokenizers/openai-community-gpt2"));
        // the bytes ED A1 94 (an encoded surrogate) then 'a': from_utf8_lossy gives three U+FFFD
        assertEquals("\uFFFD\uFFFD\uFFFDa", gpt2.decode(new int[] {169, 94, 242, 64}, false));
    }
}
