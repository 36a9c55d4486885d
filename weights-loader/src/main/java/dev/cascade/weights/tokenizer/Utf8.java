package dev.cascade.weights.tokenizer;

/** UTF-8 facts the tokenizers need when walking encoded text byte by byte. */
final class Utf8 {
    private Utf8() {
    }

    /** The byte length of the sequence that starts with {@code lead}; 1 for a stray continuation byte. */
    static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if (b < 0xC0) {
            return 1;
        }
        if (b < 0xE0) {
            return 2;
        }
        return b < 0xF0 ? 3 : 4;
    }
}
