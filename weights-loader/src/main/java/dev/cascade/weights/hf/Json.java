package dev.cascade.weights.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.ModelFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the small JSON files of a Hugging Face folder, with errors that name file and key. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode root;
    private final Path file;

    private Json(JsonNode root, Path file) {
        this.root = root;
        this.file = file;
    }

    static Json read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "is not a JSON object");
        }
        return new Json(root, file);
    }

    Json child(String key) {
        JsonNode n = node(key);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw error(key + " must be an object");
        }
        return new Json(n, file);
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** The value, or null when absent or JSON null (HF writes both for "unset"). */
    JsonNode node(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String key) {
        return node(key) != null;
    }

    String string(String key, String fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw error(key + " must be a string, got " + n);
        }
        return n.asText();
    }

    int integer(String key) {
        JsonNode n = node(key);
        if (n == null) {
            throw error("is missing " + key);
        }
        return toInt(key, n);
    }

    int integer(String key, int fallback) {
        JsonNode n = node(key);
        return n == null ? fallback : toInt(key, n);
    }

    private int toInt(String key, JsonNode n) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw error(key + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    float number(String key, float fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw error(key + " must be a number, got " + n);
        }
        return n.floatValue();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(key + " must be true or false, got " + n);
        }
        return n.asBoolean();
    }

    /** An id or a list of ids (eos_token_id may be either); empty when absent. */
    List<Integer> ids(String key) {
        JsonNode n = node(key);
        List<Integer> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                out.add(toInt(key, e));
            }
        } else {
            out.add(toInt(key, n));
        }
        return out;
    }

    ModelFormatException error(String message) {
        return new ModelFormatException(file, message);
    }
}
