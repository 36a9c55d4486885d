package dev.cascade.weights.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A tiny hand-made vocabulary, to exercise cases the real ones do not: pieces with a space mark inside, no byte pieces. */
class SyntheticSpmVocabTest {
    private static final Path FILE = Path.of("synthetic.gguf");

    private static Map<String, Object> vocabulary(boolean bytePieces, String[][] pieces) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3));
        if (bytePieces) {
            for (int b = 0; b < 256; b++) {
                tokens.add(String.format("<0x%02X>", b));
                scores.add(0f);
                types.add(6);
            }
        }
        for (String[] piece : pieces) {
            tokens.add(piece[0]);
            scores.add(Float.parseFloat(piece[1]));
            types.add(1);
        }
        float[] scoreArray = new float[scores.size()];
        for (int i = 0; i < scoreArray.length; i++) {
            scoreArray[i] = scores.get(i);
        }
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("tokenizer.ggml.model", "llama");
        metadata.put("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        metadata.put("tokenizer.ggml.scores", scoreArray);
        metadata.put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        return metadata;
    }

    private static final String[][] SPACE_INSIDE = {
            {"\u2581", "-5"}, {"a", "-5"}, {"b", "-5"}, {"a\u2581", "0"}, {"\u2581b", "-2"}, {"a\u2581b", "-0.5"},
            {"\u2581a", "-1"}, {"\u2581\u2581", "-3"}, {"b\u2581\u2581", "-0.25"}, {"ab", "-4"}};

    @Test
    void piecesSpanningASpaceMarkStillMerge() {
        Map<String, Object> metadata = vocabulary(true, SPACE_INSIDE);
        Tokenizer tokenizer = Tokenizers.fromGguf(metadata, FILE);
        int[] ids = tokenizer.encode("a b", false, false);
        assertEquals(List.of("\u2581", "a\u2581b"), texts(tokenizer, ids));
        assertEquals("a b", tokenizer.decode(ids, false));
        SpmReference reference = new SpmReference((String[]) metadata.get("tokenizer.ggml.tokens"),
                (float[]) metadata.get("tokenizer.ggml.scores"), (int[]) metadata.get("tokenizer.ggml.token_type"));
        Random random = new Random(3);
        String[] parts = {"a", "b", " ", "  ", "ab", "c", "\u00e9"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(parts[random.nextInt(parts.length)]);
            }
            String input = text.toString();
            assertArrayEquals(reference.encode(input), tokenizer.encode(input, false, false), input);
            assertEquals(input, tokenizer.decode(tokenizer.encode(input, false, false), false), input);
        }
    }

    @Test
    void withoutBytePiecesAnUnknownCharacterIsOneUnknownToken() {
        Tokenizer tokenizer = Tokenizers.fromGguf(vocabulary(false, SPACE_INSIDE), FILE);
        int[] ids = tokenizer.encode("a\u4e2db", false, false);
        assertEquals(List.of("\u2581a", "<unk>", "b"), texts(tokenizer, ids));
        assertEquals("a<unk>b", tokenizer.decode(ids, false));
        assertEquals("ab", tokenizer.decode(ids, true));
    }

    @Test
    void longerSpecialTokensClaimTheTextFirstAsInLlamaCpp() {
        Map<String, Object> metadata = vocabulary(true, SPACE_INSIDE);
        String[] tokens = (String[]) metadata.get("tokenizer.ggml.tokens");
        int[] types = (int[]) metadata.get("tokenizer.ggml.token_type");
        // turn two pieces into user-defined tokens that overlap in "xabc": "abc" is longer, so it wins
        // although "xa" starts further left
        tokens = java.util.Arrays.copyOf(tokens, tokens.length + 2);
        types = java.util.Arrays.copyOf(types, types.length + 2);
        float[] scores = java.util.Arrays.copyOf((float[]) metadata.get("tokenizer.ggml.scores"), tokens.length);
        tokens[tokens.length - 2] = "xa";
        tokens[tokens.length - 1] = "abc";
        types[types.length - 2] = 4;
        types[types.length - 1] = 4;
        metadata.put("tokenizer.ggml.tokens", tokens);
        metadata.put("tokenizer.ggml.token_type", types);
        metadata.put("tokenizer.ggml.scores", scores);
        Tokenizer tokenizer = Tokenizers.fromGguf(metadata, FILE);
        int[] ids = tokenizer.encode("xabc xa", false, false);
        // text after a special token gets the dummy prefix again (llama.cpp, HF legacy Llama), so
        // " " after "abc" is two marks and decoding shows the extra space
        assertEquals(List.of("\u2581", "<0x78>", "abc", "\u2581\u2581", "xa"), texts(tokenizer, ids));
        assertEquals("xabc  xa", tokenizer.decode(ids, false));
    }

    private static List<String> texts(Tokenizer tokenizer, int[] ids) {
        List<String> texts = new ArrayList<>();
        for (int id : ids) {
            texts.add(tokenizer.tokenText(id));
        }
        return texts;
    }
}
