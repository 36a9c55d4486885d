package dev.cascade.weights.tokenizer;

/** Placeholder until the tokenizer work lands; replaced as a whole. */
public final class HfTokenizerJson {
    private HfTokenizerJson() {
    }

    public static Tokenizer load(java.nio.file.Path folderOrFile) {
        throw new UnsupportedOperationException("HfTokenizerJson is not implemented yet");
    }
}
