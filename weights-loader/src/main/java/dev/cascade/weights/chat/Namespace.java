package dev.cascade.weights.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The object {@code namespace(a=1)} returns: the one value a template may change from inside a
 * loop ({@code {% set ns.a = 2 %}}), since a plain {@code set} in a loop body is local to it.
 */
final class Namespace {
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    Namespace(Map<String, Object> initial) {
        attributes.putAll(initial);
    }

    boolean has(String name) {
        return attributes.containsKey(name);
    }

    Object get(String name) {
        return attributes.get(name);
    }

    void set(String name, Object value) {
        attributes.put(name, value);
    }

    Map<String, Object> attributes() {
        return attributes;
    }
}
