package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed reads of one JSON object's fields, each failing with a 400 that names the field. An explicit
 * null reads as absent, as OpenAI and vLLM treat their optional parameters. Types are strict: "2" is
 * not a number and 2.0 is not an integer, so that a client's bug shows up rather than being guessed at.
 */
final class Fields {
    private final ObjectNode object;
    private final String prefix;

    /** @param prefix what goes before a field name in error params, e.g. "messages[2]." or "" */
    Fields(ObjectNode object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    String param(String name) {
        return prefix + name;
    }

    /** The field's node, or null when absent or JSON null. */
    JsonNode get(String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    String requiredString(String name) {
        String value = string(name);
        if (value == null) {
            throw ApiException.badRequest(param(name), "you must provide a " + param(name) + " parameter");
        }
        return value;
    }

    String string(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    Boolean bool(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(name, "a boolean", node);
        }
        return node.booleanValue();
    }

    boolean bool(String name, boolean absent) {
        Boolean value = bool(name);
        return value == null ? absent : value;
    }

    Double number(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(name, "a number", node);
        }
        return node.doubleValue();
    }

    /** A number in [min, max]; NaN and infinities (1e999 parses as one) are out of every range. */
    Double number(String name, double min, double max) {
        Double value = number(name);
        if (value != null && !(value >= min && value <= max)) {
            throw outOfRange(name, "between " + plain(min) + " and " + plain(max), get(name));
        }
        return value;
    }

    Long integer(String name) {
        JsonNode node = get(name);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(name, "an integer", node);
        }
        if (!node.canConvertToLong()) {
            throw outOfRange(name, "a 64-bit integer", node);
        }
        return node.longValue();
    }

    /** An integer in [min, max], both int. */
    Integer integer(String name, int min, int max) {
        Long value = integer(name);
        if (value == null) {
            return null;
        }
        if (value < min || value > max) {
            String range = max != Integer.MAX_VALUE ? "between " + min + " and " + max
                    : value < min ? "at least " + min : "at most " + max;
            throw outOfRange(name, range, get(name));
        }
        return value.intValue();
    }

    ApiException wrongType(String name, String expected, JsonNode got) {
        return ApiException.badRequest(param(name),
                param(name) + " must be " + expected + ", got " + JsonBody.kind(got));
    }

    ApiException outOfRange(String name, String range, JsonNode got) {
        return ApiException.badRequest(param(name), param(name) + " must be " + range + ", got " + got);
    }

    // 2.0 reads better as 2 in a message
    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
