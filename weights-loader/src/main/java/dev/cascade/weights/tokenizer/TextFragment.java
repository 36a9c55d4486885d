package dev.cascade.weights.tokenizer;

/** A piece of input text: a special token matched as a whole ({@code token >= 0}), or plain text [start, end). */
record TextFragment(int start, int end, int token) {

    boolean isToken() {
        return token >= 0;
    }
}
