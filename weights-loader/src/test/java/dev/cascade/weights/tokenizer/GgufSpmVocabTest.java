package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.SharedData;
import dev.cascade.weights.gguf.GgufFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufSpmVocabTest {

    static Map<String, Object> metadata(Path gguf) {
        try (GgufFile file = GgufFile.open(gguf)) {
            return new HashMap<>(file.metadata());
        }
    }

    static Tokenizer load(String relative) {
        Path path = SharedData.require(relative);
        return Tokenizers.fromGguf(metadata(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ggml-vocab-llama-spm.gguf", "ggml-vocab-phi-3.gguf"})
    void passesLlamaCppVectors(String name) {
        Path path = SharedData.require("tokenizer-vectors/" + name);
        Tokenizer tokenizer = Tokenizers.fromGguf(metadata(path), path);
        TokenizerVectors vectors = TokenizerVectors.nextTo(path);
        assertEquals(46, vectors.inputs().size());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < vectors.inputs().size(); i++) {
            String input = vectors.inputs().get(i);
            int[] actual = tokenizer.encode(input, false, false);
            if (!Arrays.equals(vectors.expected().get(i), actual)) {
                failures.add(i + " " + input.replace("\n", "\\n") + ": expected "
                        + Arrays.toString(vectors.expected().get(i)) + " got " + Arrays.toString(actual));
            }
            assertEquals(input, tokenizer.decode(actual, false), "round trip of vector " + i);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void addSpecialAddsBosOnlyAndParseSpecialMatchesControlTokens() {
        Tokenizer tokenizer = load("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
        assertArrayEquals(new int[] {1, 15043, 3186}, tokenizer.encode("Hello world", true, false));
        assertArrayEquals(new int[] {1}, tokenizer.encode("", true, false));
        assertArrayEquals(new int[0], tokenizer.encode("", false, false));
        // with parsing on, <s> is BOS and the text after it gets the dummy prefix again
        assertArrayEquals(new int[] {1, 15043}, tokenizer.encode("<s>Hello", false, true));
        int[] plain = tokenizer.encode("<s>Hello", false, false);
        assertTrue(plain.length > 2 && Arrays.stream(plain).noneMatch(id -> id == 1), Arrays.toString(plain));
        assertEquals("<s>Hello", tokenizer.decode(plain, false));
        assertEquals("Hello", tokenizer.decode(new int[] {1, 15043}, true));
        assertEquals("<s> Hello", tokenizer.decode(new int[] {1, 15043}, false));
        SpecialTokens special = tokenizer.specialTokens();
        assertEquals(1, special.bos());
        assertEquals(List.of(2), special.eos());
        assertEquals(0, special.unk());
        assertTrue(special.addBos());
    }

    @Test
    void phi3UserDefinedTokensAreAlwaysMatchedAndEndOfTurnStops() {
        Tokenizer tokenizer = load("tokenizer-vectors/ggml-vocab-phi-3.gguf");
        // </s> is user-defined in Phi-3: matched even without parsing special tokens; rstrip eats the spaces
        int[] ids = tokenizer.encode("a</s>  b", false, false);
        assertEquals(1, Arrays.stream(ids).filter(id -> id == 2).count(), Arrays.toString(ids));
        assertArrayEquals(tokenizer.encode("a</s>b", false, false), ids);
        assertEquals("a</s> b", tokenizer.decode(ids, false));
        // control tokens need parseSpecial
        int end = tokenizer.tokenId("<|end|>");
        assertEquals(32007, end);
        assertArrayEquals(new int[] {end}, tokenizer.encode("<|end|>", false, true));
        assertTrue(tokenizer.encode("<|end|>", false, false).length > 1);
        assertTrue(tokenizer.specialTokens().eos().containsAll(List.of(32000, 32007)),
                tokenizer.specialTokens().eos().toString());
        assertEquals(32000, tokenizer.specialTokens().firstEos());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ggml-vocab-llama-spm.gguf", "vocab-without-vectors/ggml-vocab-baichuan.gguf"})
    void matchesASlowRescanningReference(String name) {
        Path path = SharedData.require("tokenizer-vectors/" + name);
        Map<String, Object> metadata = metadata(path);
        Tokenizer tokenizer = Tokenizers.fromGguf(metadata, path);
        SpmReference reference = new SpmReference((String[]) metadata.get("tokenizer.ggml.tokens"),
                (float[]) metadata.get("tokenizer.ggml.scores"), (int[]) metadata.get("tokenizer.ggml.token_type"));
        java.util.Random random = new java.util.Random(7);
        String[] parts = {" ", "  ", "   ", "\n", "\t", "the", "The", "ing", "ed", ".", ",", "'s", "Hello", "world",
                "\u00e9", "\u4e2d\u6587", "\ud83e\udd99", "\u0301", "3", "33", "\u2581", "a", "b", "-", "--"};
        for (int i = 0; i < 500; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(16); n > 0; n--) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            String input = text.toString();
            assertArrayEquals(reference.encode(input), tokenizer.encode(input, false, false), input);
        }
    }

    @Test
    void baichuanLoadsAndRoundTrips() {
        Tokenizer tokenizer = load("tokenizer-vectors/vocab-without-vectors/ggml-vocab-baichuan.gguf");
        assertEquals(64000, tokenizer.vocabSize());
        for (String text : List.of("Hello world", "\u6211\u60f3\u5728apple\u5de5\u4f5c1314151\u5929\uff5e",
                "  spaces \n\n and tabs\t", "\ud83e\udd99 llama")) {
            int[] ids = tokenizer.encode(text, false, false);
            assertEquals(text, tokenizer.decode(ids, false), text);
            assertTrue(ids.length < text.length() + 2, Arrays.toString(ids));
        }
    }

    @Test
    void bertVocabularyIsRejectedClearly() {
        Path path = SharedData.require("tokenizer-vectors/ggml-vocab-bert-bge.gguf");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Tokenizers.fromGguf(metadata(path), path));
        assertTrue(e.getMessage().contains("unsupported tokenizer model 'bert'"), e.getMessage());
        assertTrue(e.getMessage().contains("ggml-vocab-bert-bge.gguf"), e.getMessage());
    }

    @Test
    void missingOrMismatchedScoresAreReported() {
        Path path = SharedData.require("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
        Map<String, Object> noScores = metadata(path);
        noScores.remove("tokenizer.ggml.scores");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(noScores, path));
        assertTrue(e.getMessage().contains("missing tokenizer.ggml.scores"), e.getMessage());
        Map<String, Object> shortScores = metadata(path);
        shortScores.put("tokenizer.ggml.scores", new float[10]);
        e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(shortScores, path));
        assertTrue(e.getMessage().contains("10 entries") && e.getMessage().contains("32000"), e.getMessage());
        Map<String, Object> badType = metadata(path);
        int[] types = ((int[]) badType.get("tokenizer.ggml.token_type")).clone();
        types[5] = 9;
        badType.put("tokenizer.ggml.token_type", types);
        e = assertThrows(ModelFormatException.class, () -> Tokenizers.fromGguf(badType, path));
        assertTrue(e.getMessage().contains("token 5") && e.getMessage().contains("ggml-vocab-llama-spm.gguf"),
                e.getMessage());
    }

    @Test
    void withoutSpacePrefixNothingIsPrependedOrStripped() {
        Path path = SharedData.require("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
        Map<String, Object> metadata = metadata(path);
        metadata.put("tokenizer.ggml.add_space_prefix", false);
        Tokenizer tokenizer = Tokenizers.fromGguf(metadata, path);
        int[] ids = tokenizer.encode("Hello world", false, false);
        assertEquals("Hello", tokenizer.tokenText(ids[0]));
        assertEquals("Hello world", tokenizer.decode(ids, false));
        assertEquals(" Hello", tokenizer.decode(tokenizer.encode(" Hello", false, false), false));
    }
}
