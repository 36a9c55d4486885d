package dev.cascade.weights.tokenizer;

/** Placeholder until the tokenizer work lands; replaced as a whole. */
public final class GgufBpeVocab {
    private GgufBpeVocab() {
    }

    public static Tokenizer fromMetadata(java.util.Map<String, Object> metadata, java.nio.file.Path file) {
        throw new UnsupportedOperationException("GgufBpeVocab is not implemented yet");
    }
}
