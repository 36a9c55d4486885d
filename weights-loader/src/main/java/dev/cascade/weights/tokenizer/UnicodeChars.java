package dev.cascade.weights.tokenizer;

/**
 * Character classes as Rust defines them (Hugging Face's tokenizers is Rust). Java's own
 * {@link Character#isWhitespace} differs: it excludes no-break spaces and includes U+001C..U+001F.
 */
final class UnicodeChars {
    private UnicodeChars() {
    }

    /** The Unicode White_Space property (Rust's char::is_whitespace and regex \s). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Rust regex's Unicode \w: alphabetic, marks, decimal digits, connector punctuation, join controls. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER || t == Character.CONNECTOR_PUNCTUATION;
    }
}
