package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** decode(encode(s)) == s, and incremental tokenBytes agree with decode, on random Unicode text. */
class SentencePieceRoundTripTest {

    /**
     * Code point ranges to draw from: ASCII, C0 controls, Latin-1, combining marks, Cyrillic, Khmer,
     * CJK, emoji, ZWJ and variation selectors, supplementary planes. Not U+2581: SentencePiece
     * uses it for the space, so a literal one comes back as a space (see {@link #literalSpaceMarkDecodesAsSpace}).
     */
    private static final int[][] RANGES = {
            {0x20, 0x7E}, {0x20, 0x20}, {0x00, 0x1F}, {0x7F, 0xA0}, {0xA1, 0xFF}, {0x300, 0x36F}, {0x400, 0x4FF},
            {0x1780, 0x17FF}, {0x4E00, 0x9FFF}, {0x1F300, 0x1FAFF}, {0x200B, 0x200D}, {0xFE00, 0xFE0F},
            {0x10000, 0x10FFFF}};

    static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(24); n > 0; n--) {
            int[] range = RANGES[random.nextInt(RANGES.length)];
            int codePoint = range[0] + random.nextInt(range[1] - range[0] + 1);
            if (Character.getType(codePoint) == Character.SURROGATE) {
                continue;
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenizer-vectors/ggml-vocab-llama-spm.gguf", "tokenizer-vectors/ggml-vocab-phi-3.gguf",
            "tokenizer-vectors/vocab-without-vectors/ggml-vocab-baichuan.gguf", "models/stories260K/stories260K.gguf",
            "models/stories260K/tok512.bin"})
    void randomUnicodeRoundTrips(String relative) {
        Tokenizer tokenizer = relative.endsWith(".bin")
                ? Llama2cTokenizer.load(SharedData.require(relative), 512)
                : GgufSpmVocabTest.load(relative);
        Random random = new Random(relative.hashCode());
        for (int i = 0; i < 2000; i++) {
            String text = randomText(random);
            for (boolean addSpecial : new boolean[] {false, true}) {
                int[] ids = tokenizer.encode(text, addSpecial, false);
                assertEquals(text, tokenizer.decode(ids, true), () -> "decode(encode) of " + escape(text));
                String withSpecials = tokenizer.decode(ids, false);
                assertEquals(withSpecials, Llama2cTokenizerTest.concatTokenBytes(tokenizer, ids),
                        () -> "tokenBytes of " + escape(text));
                if (!addSpecial) {
                    assertEquals(text, withSpecials, () -> "decode(encode, keep specials) of " + escape(text));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenizer-vectors/ggml-vocab-llama-spm.gguf"})
    void literalSpaceMarkDecodesAsSpace(String relative) {
        Tokenizer tokenizer = GgufSpmVocabTest.load(relative);
        int[] ids = tokenizer.encode("a\u2581b c", false, false);
        assertEquals(tokenizer.encode("a b c", false, false).length, ids.length);
        assertEquals("a b c", tokenizer.decode(ids, false));
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7F ? Character.toString(c) : String.format("\\u{%x}", c)));
        return out + " (" + text.getBytes(StandardCharsets.UTF_8).length + " bytes)";
    }
}
