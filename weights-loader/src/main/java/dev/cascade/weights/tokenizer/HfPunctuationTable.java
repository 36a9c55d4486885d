package dev.cascade.weights.tokenizer;

/**
 * Hugging Face's tokenizers decide what is punctuation with Unicode 8.0 tables (its
 * unicode_categories dependency), while Java knows Unicode 16. These are the differences, found by
 * asking tokenizers 0.23.2's Punctuation pre-tokenizer about every code point: characters given a
 * punctuation category since Unicode 8.0, which it does not split on, and two that were
 * punctuation then and are symbols now.
 */
final class HfPunctuationTable {
    /** Inclusive ranges that Java calls punctuation and Hugging Face does not. */
    private static final int[] NEWER_PUNCTUATION = {
            0x61D, 0x61D, 0x9FD, 0x9FD, 0xA76, 0xA76, 0xC77, 0xC77, 0xC84, 0xC84, 0x1B4E, 0x1B4F,
            0x1B7D, 0x1B7F, 0x2E43, 0x2E4F, 0x2E52, 0x2E5D, 0x10D6E, 0x10D6E, 0x10EAD, 0x10EAD, 0x10F55, 0x10F59,
            0x10F86, 0x10F89, 0x113D4, 0x113D5, 0x113D7, 0x113D8, 0x1144B, 0x1144F, 0x1145A, 0x1145B, 0x1145D, 0x1145D,
            0x11660, 0x1166C, 0x116B9, 0x116B9, 0x1183B, 0x1183B, 0x11944, 0x11946, 0x119E2, 0x119E2, 0x11A3F, 0x11A46,
            0x11A9A, 0x11A9C, 0x11A9E, 0x11AA2, 0x11B00, 0x11B09, 0x11BE1, 0x11BE1, 0x11C41, 0x11C45, 0x11C70, 0x11C71,
            0x11EF7, 0x11EF8, 0x11F43, 0x11F4F, 0x11FFF, 0x11FFF, 0x12FF1, 0x12FF2, 0x16D6D, 0x16D6F, 0x16E97, 0x16E9A,
            0x16FE2, 0x16FE2, 0x1E5FF, 0x1E5FF, 0x1E95E, 0x1E95F
    };

    /** Punctuation in Unicode 8.0, other symbols today: U+166D CANADIAN SYLLABICS CHI SIGN, U+111C9 SHARADA SANDHI MARK. */
    private static final int[] FORMER_PUNCTUATION = {0x166D, 0x111C9};

    private HfPunctuationTable() {
    }

    /** Whether Hugging Face's is_punc holds for a non-ASCII code point whose Java category is {@code javaSaysPunctuation}. */
    static boolean isPunctuation(int cp, boolean javaSaysPunctuation) {
        if (javaSaysPunctuation) {
            for (int i = 0; i < NEWER_PUNCTUATION.length; i += 2) {
                if (cp >= NEWER_PUNCTUATION[i] && cp <= NEWER_PUNCTUATION[i + 1]) {
                    return false;
                }
            }
            return true;
        }
        return cp == FORMER_PUNCTUATION[0] || cp == FORMER_PUNCTUATION[1];
    }
}
