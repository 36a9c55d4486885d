package dev.cascade.weights.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8Test {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void validTextDecodesAsJavaDoes() {
        Random r = new Random(5);
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                int cp;
                do {
                    cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x800);
                } while (cp >= 0xD800 && cp <= 0xDFFF);
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            assertEquals(s, Utf8.decode(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The examples of the Unicode standard's "U+FFFD substitution of maximal subparts" (table 3-8). */
    @Test
    void maximalSubpartsAsTheUnicodeStandardAndRust() {
        assertEquals("a\uFFFD\uFFFD\uFFFDb", Utf8.decode(bytes('a', 0xED, 0xA1, 0x94, 'b')), "encoded surrogate");
        assertEquals("\uFFFDa", Utf8.decode(bytes(0xE2, 0x82, 'a')), "a broken-off sequence is one U+FFFD");
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", Utf8.decode(bytes(0xC0, 0xAF, 0xE0, 0x80)));
        assertEquals("\uFFFD\uFFFD", Utf8.decode(bytes(0xF4, 0x90)), "past U+10FFFF");
        assertEquals("\uFFFD", Utf8.decode(bytes(0xF0, 0x9F, 0x98)), "truncated at the end");
        // the standard's own example: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
        assertEquals("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd",
                Utf8.decode(bytes(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64)));
    }

    @Test
    void incompleteTailOnlyForCompletableStarts() {
        assertEquals(1, Utf8.incompleteTail(bytes('a', 0xE2), 2));
        assertEquals(2, Utf8.incompleteTail(bytes('a', 0xE2, 0x82), 3));
        assertEquals(0, Utf8.incompleteTail(bytes(0xE2, 0x82, 0xAC), 3));
        assertEquals(0, Utf8.incompleteTail(bytes(0xED, 0xA1), 2), "a surrogate can never complete");
        assertEquals(0, Utf8.incompleteTail(bytes(0xC0), 1));
        assertEquals(3, Utf8.incompleteTail(bytes(0xF0, 0x9F, 0x98), 3));
    }
}
