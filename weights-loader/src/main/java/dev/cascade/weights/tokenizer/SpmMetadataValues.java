package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;

import java.nio.file.Path;
import java.util.Map;

/** Typed reads of GGUF tokenizer metadata, with errors that name the file and the key. */
final class SpmMetadataValues {
    private final Map<String, Object> metadata;
    private final Path file;

    SpmMetadataValues(Map<String, Object> metadata, Path file) {
        this.metadata = metadata;
        this.file = file;
    }

    Path file() {
        return file;
    }

    Object required(String key) {
        Object value = metadata.get(key);
        if (value == null) {
            throw new ModelFormatException(file, "missing " + key);
        }
        return value;
    }

    String[] stringArray(String key) {
        if (required(key) instanceof String[] strings) {
            return strings;
        }
        throw wrongType(key, "an array of strings");
    }

    float[] floatArray(String key) {
        if (required(key) instanceof float[] floats) {
            return floats;
        }
        throw wrongType(key, "an array of float32");
    }

    /** An integer array held as int[] (int32 and smaller) or long[] (uint32, int64); null when absent. */
    long[] integerArrayOrNull(String key) {
        Object value = metadata.get(key);
        return switch (value) {
            case null -> null;
            case int[] ints -> {
                long[] longs = new long[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    longs[i] = ints[i];
                }
                yield longs;
            }
            case long[] longs -> longs;
            default -> throw wrongType(key, "an array of integers");
        };
    }

    /**
     * A token id, or {@code fallback} when the key is absent. Ids outside the vocabulary (GGUF
     * writers store uint32 -1 for "none") read as -1.
     */
    int tokenId(String key, int fallback, int vocabSize) {
        Object value = metadata.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw wrongType(key, "an integer token id");
        }
        long id = ((Number) value).longValue();
        return id >= 0 && id < vocabSize ? (int) id : -1;
    }

    boolean flag(String key, boolean fallback) {
        Object value = metadata.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "a boolean");
    }

    String stringOrEmpty(String key) {
        Object value = metadata.get(key);
        return value instanceof String s ? s : "";
    }

    private ModelFormatException wrongType(String key, String expected) {
        Object value = metadata.get(key);
        return new ModelFormatException(file, key + " should be " + expected + " but is "
                + (value == null ? "absent" : value.getClass().getSimpleName()));
    }
}
