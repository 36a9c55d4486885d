package dev.cascade.weights.chat;

/**
 * Jinja's default Undefined: what a missing variable, key or attribute evaluates to. It prints as
 * nothing, is falsy, iterates as empty and has length 0, but arithmetic on it, attribute access on it
 * or calling it fails with {@link #hint()} as the message (e.g. "'x' is undefined").
 */
record Undefined(String hint) {

    static Undefined variable(String name) {
        return new Undefined("'" + name + "' is undefined");
    }

    static Undefined attribute(Object owner, String name) {
        return new Undefined(describe(owner) + " has no attribute '" + name + "'");
    }

    static Undefined item(Object owner, Object key) {
        return new Undefined(describe(owner) + " has no element " + PyValues.repr(key));
    }

    /** Jinja's object_type_repr: 'None' for None, else "'dict object'" style. */
    private static String describe(Object owner) {
        return owner == null ? "'None'" : "'" + PyValues.typeName(owner) + " object'";
    }

    TemplateRenderException error() {
        return new TemplateRenderException(hint);
    }
}
