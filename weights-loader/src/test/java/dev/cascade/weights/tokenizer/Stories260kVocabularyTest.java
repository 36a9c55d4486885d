package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** stories260K ships its vocabulary twice: llama2.c's tok512.bin and the GGUF's embedded SentencePiece vocabulary. */
class Stories260kVocabularyTest {

    @Test
    void ggufVocabularyEncodesLikeTok512() {
        Tokenizer bin = Llama2cTokenizer.load(SharedData.require("models/stories260K/tok512.bin"), 512);
        Path gguf = SharedData.require("models/stories260K/stories260K.gguf");
        Tokenizer spm = Tokenizers.fromGguf(GgufSpmVocabTest.metadata(gguf), gguf);
        assertEquals(512, spm.vocabSize());
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, spm.encode("Once upon a time", true, false));
        List<String> prompts = new ArrayList<>(Llama2cTokenizerTest.prompts());
        prompts.addAll(randomEnglishLike(new Random(260), 200));
        for (String prompt : prompts) {
            int[] expected = bin.encode(prompt, true);
            assertArrayEquals(expected, spm.encode(prompt, true, false), prompt);
            assertEquals(bin.decode(expected, true), spm.decode(expected, true), prompt);
        }
    }

    /** Words from the stories' world, spaces, punctuation, newlines, digits and a few characters outside the vocabulary. */
    private static List<String> randomEnglishLike(Random random, int count) {
        String[] words = {"Lily", "Tom", "the", "a", "ball", "happy", "played", "with", "her", "mom", "said",
                "\"Yes!\"", "park", "big", "dog", "ran", "and", "to", "was", "sun", "tree", "caf\u00e9", "\u00fcber",
                "1", "42", "\u4e2d\u6587", "\ud83d\ude00", "it's", "x", "zz", "Once", "upon", "time"};
        String[] gaps = {" ", " ", " ", "  ", "\n", ", ", ". ", "\t", ""};
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            if (random.nextInt(5) == 0) {
                text.append(gaps[random.nextInt(gaps.length)]);
            }
            for (int w = 1 + random.nextInt(12); w > 0; w--) {
                text.append(words[random.nextInt(words.length)]);
                text.append(gaps[random.nextInt(gaps.length)]);
            }
            prompts.add(text.toString());
        }
        return prompts;
    }
}
