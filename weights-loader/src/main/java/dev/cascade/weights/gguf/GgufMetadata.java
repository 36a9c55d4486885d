package dev.cascade.weights.gguf;

import dev.cascade.weights.ModelFormatException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Typed reads of GGUF metadata (the map of {@link GgufFile#metadata()}). Integer getters accept any
 * integer type (GGUF writers differ on uint32 vs int32), float getters float32 or float64; a value of
 * the wrong kind is an error naming the key and the file, never silently ignored.
 */
public record GgufMetadata(Map<String, Object> values, Path file) {

    public static GgufMetadata of(Map<String, Object> values, Path file) {
        return new GgufMetadata(values, file);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object get(String key) {
        return values.get(key);
    }

    public Optional<String> string(String key) {
        return Optional.ofNullable(typed(key, String.class, "a string"));
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key));
    }

    public OptionalLong integer(String key) {
        Object v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v instanceof Integer i) {
            return OptionalLong.of(i);
        }
        if (v instanceof Long l) {
            return OptionalLong.of(l);
        }
        throw wrongType(key, v, "an integer");
    }

    /** An integer value that must fit in an int (a count or an id). */
    public int requireInt(String key) {
        return toInt(key, integer(key).orElseThrow(() -> missing(key)));
    }

    public int intOr(String key, int fallback) {
        OptionalLong v = integer(key);
        return v.isPresent() ? toInt(key, v.getAsLong()) : fallback;
    }

    public OptionalDouble real(String key) {
        Object v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        if (v instanceof Float f) {
            return OptionalDouble.of(f);
        }
        if (v instanceof Double d) {
            return OptionalDouble.of(d);
        }
        throw wrongType(key, v, "a float");
    }

    public float floatOr(String key, float fallback) {
        OptionalDouble v = real(key);
        return v.isPresent() ? (float) v.getAsDouble() : fallback;
    }

    public boolean booleanOr(String key, boolean fallback) {
        Boolean b = typed(key, Boolean.class, "a bool");
        return b == null ? fallback : b;
    }

    public Optional<String[]> stringArray(String key) {
        return Optional.ofNullable(typed(key, String[].class, "an array of strings"));
    }

    public Optional<float[]> floatArray(String key) {
        return Optional.ofNullable(typed(key, float[].class, "an array of float32"));
    }

    /** An array of any integer type narrower than 64 bits (int[]), or of 64-bit ones that all fit (long[]). */
    public Optional<int[]> intArray(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof int[] a) {
            return Optional.of(a);
        }
        if (v instanceof long[] a) {
            int[] out = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = toInt(key, a[i]);
            }
            return Optional.of(out);
        }
        throw wrongType(key, v, "an array of integers");
    }

    /** The number of elements of an array value, or -1 when the key is absent. */
    public int arrayLength(String key) {
        Object v = values.get(key);
        if (v == null) {
            return -1;
        }
        if (!v.getClass().isArray()) {
            throw wrongType(key, v, "an array");
        }
        return java.lang.reflect.Array.getLength(v);
    }

    private <T> T typed(String key, Class<T> type, String expected) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (!type.isInstance(v)) {
            throw wrongType(key, v, expected);
        }
        return type.cast(v);
    }

    private int toInt(String key, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ModelFormatException(file, "metadata " + key + " = " + v + " does not fit in 32 bits");
        }
        return (int) v;
    }

    private ModelFormatException missing(String key) {
        return new ModelFormatException(file, "metadata key " + key + " is missing");
    }

    private ModelFormatException wrongType(String key, Object v, String expected) {
        return new ModelFormatException(file, "metadata " + key + " should be " + expected + " but is a "
                + v.getClass().getSimpleName());
    }
}
