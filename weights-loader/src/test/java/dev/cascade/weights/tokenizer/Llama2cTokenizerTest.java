package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Llama2cTokenizerTest {

    private static Tokenizer tok512() {
        return Llama2cTokenizer.load(SharedData.require("models/stories260K/tok512.bin"), 512);
    }

    @Test
    void encodesTheReadmePromptAsRunC() {
        Tokenizer tokenizer = tok512();
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, tokenizer.encode("Once upon a time", true));
        assertEquals(" Once", tokenizer.tokenText(403));
        assertEquals(" time", tokenizer.tokenText(378));
    }

    @Test
    void emptyPromptIsJustBos() {
        Tokenizer tokenizer = tok512();
        assertArrayEquals(new int[] {1}, tokenizer.encode("", true));
        assertArrayEquals(new int[0], tokenizer.encode("", false));
    }

    @Test
    void dummyPrefixIsTheSpacePiece() {
        Tokenizer tokenizer = tok512();
        assertEquals(410, tokenizer.tokenId(" "));
        // a character that is no piece stays apart from the dummy prefix as byte tokens
        int[] ids = tokenizer.encode("\u4e2d", true);
        assertArrayEquals(new int[] {1, 410, 0xE4 + 3, 0xB8 + 3, 0xAD + 3}, ids);
        assertEquals("\u4e2d", tokenizer.decode(ids, true));
    }

    @Test
    void mergesMatchABruteForceRescanOfRunC() {
        Tokenizer tokenizer = tok512();
        Llama2cVocabulary vocabulary = Llama2cVocabulary.read(SharedData.require("models/stories260K/tok512.bin"), 512);
        for (String prompt : prompts()) {
            assertArrayEquals(RunCReference.encode(vocabulary, prompt), tokenizer.encode(prompt, true), prompt);
        }
    }

    @Test
    void decodeDropsTheSpaceAfterBosAndRoundTrips() {
        Tokenizer tokenizer = tok512();
        for (String prompt : prompts()) {
            int[] ids = tokenizer.encode(prompt, true);
            assertEquals(prompt, tokenizer.decode(ids, true), prompt);
            assertEquals(prompt, tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length), false), prompt);
            assertEquals("\n<s>\n" + prompt, tokenizer.decode(ids, false), prompt);
            assertEquals(tokenizer.decode(ids, false), concatTokenBytes(tokenizer, ids), prompt);
        }
        assertEquals("Once", new String(tokenizer.tokenBytes(1, 403), StandardCharsets.UTF_8));
        assertEquals(" Once", new String(tokenizer.tokenBytes(378, 403), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {(byte) 0xE4}, tokenizer.tokenBytes(410, 0xE4 + 3));
    }

    @Test
    void specialTokensStopWhereRunCStops() {
        SpecialTokens special = tok512().specialTokens();
        assertEquals(1, special.bos());
        assertEquals(List.of(2, 1), special.eos());
        assertEquals(0, special.unk());
        assertTrue(special.addBos());
    }

    @Test
    void truncatedFileNamesTheTokenAndFile(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(SharedData.require("models/stories260K/tok512.bin"));
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(full, full.length - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(cut, 512));
        assertTrue(e.getMessage().contains("cut.bin") && e.getMessage().contains("token 511"), e.getMessage());
        // a wrong (too large) vocabulary size from the model header runs off the end as well
        assertThrows(ModelFormatException.class,
                () -> Llama2cTokenizer.load(SharedData.require("models/stories260K/tok512.bin"), 513));
        Path tiny = dir.resolve("tiny.bin");
        Files.write(tiny, new byte[] {7, 0});
        e = assertThrows(ModelFormatException.class, () -> Llama2cTokenizer.load(tiny, 512));
        assertTrue(e.getMessage().contains("tiny.bin"), e.getMessage());
    }

    static String concatTokenBytes(Tokenizer tokenizer, int[] ids) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int previous = -1;
        for (int id : ids) {
            out.writeBytes(tokenizer.tokenBytes(previous, id));
            previous = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> prompts() {
        return List.of(
                "Once upon a time",
                "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
                "The cat sat on the mat.",
                "Tom and his mom went to the store to buy some apples and a big red ball!",
                "\"Why is the sky blue?\" asked Sam.",
                "  two leading spaces and trailing  ",
                "line one\nline two\n\nline four",
                "Numbers 12345 and symbols #$%^&*()",
                "caf\u00e9 na\u00efve \u20ac5 \u2014 smile \ud83d\ude00",
                "A",
                " ");
    }
}
