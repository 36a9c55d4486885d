package dev.cascade.weights.tokenizer;

/** Placeholder until the tokenizer work lands; replaced as a whole. */
public final class Llama2cTokenizer {
    private Llama2cTokenizer() {
    }

    public static Tokenizer load(java.nio.file.Path tokenizerBin, int vocabSize) {
        throw new UnsupportedOperationException("Llama2cTokenizer is not implemented yet");
    }
}
