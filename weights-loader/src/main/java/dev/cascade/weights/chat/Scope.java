package dev.cascade.weights.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of rendering. Jinja scopes: each for-loop iteration, macro call,
 * {@code with} block and captured block body gets a child scope, so {@code set} there does not leak
 * out; {@code if} does not open a scope. Lookups walk outwards; assignments stay local.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Scope child() {
        return new Scope(this);
    }

    /** The value of {@code name}, or an {@link Undefined} naming it. */
    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object value = s.variables.get(name);
            if (value != null || s.variables.containsKey(name)) {
                return value;
            }
        }
        return Undefined.variable(name);
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
