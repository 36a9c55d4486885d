package dev.cascade.weights.tokenizer;

/** SentencePiece piece kinds as GGUF's {@code tokenizer.ggml.token_type} numbers them (1..6). */
enum SpmTokenType {
    NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** The type for a GGUF code, or null when the code is not one of 1..6. */
    static SpmTokenType ofGgufCode(long code) {
        return code >= 1 && code <= 6 ? values()[(int) code - 1] : null;
    }

    /** Control and unknown pieces: not text, left out by {@code decode(ids, skipSpecial = true)}. */
    boolean isSpecial() {
        return this == CONTROL || this == UNKNOWN;
    }
}
