package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;

import java.nio.file.Path;
import java.util.Map;

/** Picks the tokenizer implementation a file asks for. */
public final class Tokenizers {
    private Tokenizers() {
    }

    /** The tokenizer embedded in a GGUF file's metadata (see {@code GgufFile#metadata()} for value types). */
    public static Tokenizer fromGguf(Map<String, Object> metadata, Path file) {
        Object model = metadata.get("tokenizer.ggml.model");
        if (model == null) {
            throw new ModelFormatException(file, "has no tokenizer (no tokenizer.ggml.model key)");
        }
        return switch (model.toString()) {
            case "llama" -> GgufSpmVocab.fromMetadata(metadata, file);
            case "gpt2" -> GgufBpeVocab.fromMetadata(metadata, file);
            default -> throw new ModelFormatException(file, "unsupported tokenizer model '" + model
                    + "' (tokenizer.ggml.model); supported: llama (SentencePiece), gpt2 (byte-level BPE)");
        };
    }
}
