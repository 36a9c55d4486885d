package dev.cascade.weights.text;

/**
 * UTF-8 decoding that replaces each maximal invalid subpart with one U+FFFD, the Unicode
 * recommendation that Rust's {@code String::from_utf8_lossy} (and so Hugging Face's tokenizers)
 * follows. Java's own decoder differs on some invalid input (an encoded surrogate such as
 * ED A1 94 is one U+FFFD for Java, three for Rust), so token text must go through here to match.
 */
public final class Utf8 {
    private Utf8() {
    }

    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static String decode(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xff;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need = sequenceLength(b0);
            if (need == 0) {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int cp = b0 & (0xff >> (need + 1));
            int k = 1;
            while (k < need && i + k < to && inRange(b0, k, bytes[i + k] & 0xff)) {
                cp = (cp << 6) | (bytes[i + k] & 0x3f);
                k++;
            }
            if (k == need) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\uFFFD'); // the valid prefix of a sequence that broke off
            }
            i += k;
        }
        return sb.toString();
    }

    /**
     * How many bytes at the end of bytes[0..length) are a valid but unfinished character, which
     * more bytes could still complete.
     */
    public static int incompleteTail(byte[] bytes, int length) {
        for (int back = 1; back <= 3 && back <= length; back++) {
            int lead = bytes[length - back] & 0xff;
            if (lead < 0x80) {
                return 0;
            }
            if (lead < 0xC0) {
                continue; // a continuation byte: the lead is further back
            }
            int need = sequenceLength(lead);
            if (need == 0 || back >= need) {
                return 0;
            }
            for (int k = 1; k < back; k++) {
                if (!inRange(lead, k, bytes[length - back + k] & 0xff)) {
                    return 0;
                }
            }
            return back;
        }
        return 0;
    }

    /**
     * How many bytes the character starting with {@code lead} takes, judged by the lead alone
     * (1 for a stray continuation byte), for walking text a character at a time.
     */
    public static int charLength(byte lead) {
        int b = lead & 0xFF;
        if (b < 0xC0) {
            return 1;
        }
        if (b < 0xE0) {
            return 2;
        }
        return b < 0xF0 ? 3 : 4;
    }

    /** The length of a well-formed sequence starting with this byte, or 0 when it cannot start one. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** Whether byte k (1-based after the lead) is allowed: no overlongs, surrogates, or values past U+10FFFF. */
    private static boolean inRange(int lead, int k, int b) {
        if (k == 1) {
            return switch (lead) {
                case 0xE0 -> b >= 0xA0 && b <= 0xBF;
                case 0xED -> b >= 0x80 && b <= 0x9F;
                case 0xF0 -> b >= 0x90 && b <= 0xBF;
                case 0xF4 -> b >= 0x80 && b <= 0x8F;
                default -> b >= 0x80 && b <= 0xBF;
            };
        }
        return b >= 0x80 && b <= 0xBF;
    }
}
