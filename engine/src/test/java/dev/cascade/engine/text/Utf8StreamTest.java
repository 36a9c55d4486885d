package dev.cascade.engine.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class Utf8StreamTest {

    @Test
    void holdsBackHalfACharacter() {
        Utf8Stream s = new Utf8Stream();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        assertEquals("a", s.append(new byte[] {'a', euro[0]}));
        assertEquals("", s.append(new byte[] {euro[1]}));
        assertEquals("€b", s.append(new byte[] {euro[2], 'b'}));
        assertFalse(s.hasPending());
    }

    @Test
    void anyChunkingGivesTheWholeTextAndNeverSplitsACharacter() {
        String text = "Grüße 🦙 日本語 e\u0301 👩‍👩‍👧 ok";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            Utf8Stream s = new Utf8Stream();
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, 1 + r.nextInt(4));
                byte[] chunk = java.util.Arrays.copyOfRange(bytes, i, i + n);
                String piece = s.append(chunk);
                assertFalse(piece.contains("\uFFFD"), "no replacement characters for valid input");
                if (!piece.isEmpty()) {
                    assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), "no half surrogate pair");
                }
                out.append(piece);
                i += n;
            }
            out.append(s.flush());
            assertEquals(text, out.toString());
        }
    }

    @Test
    void invalidBytesBecomeReplacementCharactersAsTheyArrive() {
        Utf8Stream s = new Utf8Stream();
        assertEquals("a\uFFFD", s.append(new byte[] {'a', (byte) 0x80}), "a lone continuation byte is invalid at once");
        assertEquals("\uFFFD", s.append(new byte[] {(byte) 0xC0}), "C0 can never start a valid character");
        assertEquals("", s.append(new byte[] {(byte) 0xE2}));
        assertEquals("\uFFFDx", s.append(new byte[] {'x'}), "an interrupted character is replaced");
        assertEquals("", s.append(new byte[] {(byte) 0xF0, (byte) 0x9F}));
        assertEquals("\uFFFD", s.flush(), "an unfinished character at the end is replaced");
    }

    @Test
    void matchesAWholeDecodeOnRandomBytes() {
        Random r = new Random(2);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bytes = new byte[r.nextInt(30)];
            for (int i = 0; i < bytes.length; i++) {
                int kind = r.nextInt(4);
                bytes[i] = (byte) (kind == 0 ? r.nextInt(128) : kind == 1 ? 0x80 + r.nextInt(64) : 0xC0 + r.nextInt(64));
            }
            Utf8Stream s = new Utf8Stream();
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                out.append(s.append(new byte[] {b}));
            }
            out.append(s.flush());
            assertEquals(dev.cascade.weights.text.Utf8.decode(bytes), out.toString(), "trial " + trial);
        }
    }
}
