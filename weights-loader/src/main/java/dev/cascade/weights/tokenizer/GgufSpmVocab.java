package dev.cascade.weights.tokenizer;

/** Placeholder until the tokenizer work lands; replaced as a whole. */
public final class GgufSpmVocab {
    private GgufSpmVocab() {
    }

    public static Tokenizer fromMetadata(java.util.Map<String, Object> metadata, java.nio.file.Path file) {
        throw new UnsupportedOperationException("GgufSpmVocab is not implemented yet");
    }
}
