package dev.cascade.weights.tokenizer;

/**
 * GPT-2's reversible map between bytes and printable characters: byte-level BPE vocabularies
 * store every byte as one visible character (a space is 'Ġ', a newline 'Ċ'), so tokens are
 * plain strings. Printable Latin-1 bytes map to themselves; the other 68 map to U+0100 upwards.
 */
final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by char; -1 for chars that are not the image of a byte. */
    private static final short[] CHAR_TO_BYTE = new short[324];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelAlphabet() {
    }

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte this char stands for, or -1. */
    static int byteOf(int codePoint) {
        return codePoint >= 0 && codePoint < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[codePoint] : -1;
    }

    /** Replaces every UTF-8 byte of {@code text} by its alphabet char. */
    static String encode(String text) {
        int n = text.length();
        StringBuilder sb = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                sb.append(BYTE_TO_CHAR[c]);
            } else if (c < 0x800) {
                sb.append(BYTE_TO_CHAR[0xC0 | (c >> 6)]).append(BYTE_TO_CHAR[0x80 | (c & 0x3F)]);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                sb.append(BYTE_TO_CHAR[0xF0 | (cp >> 18)])
                        .append(BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3F)])
                        .append(BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3F)])
                        .append(BYTE_TO_CHAR[0x80 | (cp & 0x3F)]);
            } else {
                // A lone surrogate cannot be UTF-8 encoded; Java's encoder would write '?', so do the same.
                int v = Character.isSurrogate(c) ? '?' : c;
                if (v < 0x80) {
                    sb.append(BYTE_TO_CHAR[v]);
                } else {
                    sb.append(BYTE_TO_CHAR[0xE0 | (v >> 12)])
                            .append(BYTE_TO_CHAR[0x80 | ((v >> 6) & 0x3F)])
                            .append(BYTE_TO_CHAR[0x80 | (v & 0x3F)]);
                }
            }
        }
        return sb.toString();
    }

    /**
     * The bytes a token string stands for, appended to {@code out}. As Hugging Face's ByteLevel
     * decoder: a token with any char outside the alphabet (an added token such as a run of
     * spaces) contributes its own UTF-8 bytes instead.
     */
    static void decodeInto(String token, java.io.ByteArrayOutputStream out) {
        int n = token.length();
        for (int i = 0; i < n; i++) {
            if (byteOf(token.charAt(i)) < 0) {
                out.writeBytes(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            out.write(byteOf(token.charAt(i)));
        }
    }
}
