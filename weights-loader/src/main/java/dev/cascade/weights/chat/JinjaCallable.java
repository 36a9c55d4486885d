package dev.cascade.weights.chat;

/** A value a template can call: a global function, a bound method, a macro, {@code loop.cycle}. */
interface JinjaCallable {
    Object call(CallArguments arguments);

    /** How Python would print the callable, e.g. {@code <function range>}. */
    String describe();

    /** A named function from a lambda. */
    static JinjaCallable function(String name, java.util.function.Function<CallArguments, Object> body) {
        return new JinjaCallable() {
            @Override
            public Object call(CallArguments arguments) {
                return body.apply(arguments);
            }

            @Override
            public String describe() {
                return "<function " + name + ">";
            }
        };
    }
}
