package dev.cascade.weights.chat;

import java.util.List;

/** Statement nodes of a parsed template. {@code at} is the source offset, for error positions. */
sealed interface Node {
    int at();

    record Text(int at, String text) implements Node {
    }

    record Output(int at, Expr value) implements Node {
    }

    record Branch(Expr condition, List<Node> body) {
    }

    record If(int at, List<Branch> branches, List<Node> otherwise) implements Node {
    }

    /** {@code {% for target in iterable if filter recursive %} body {% else %} otherwise {% endfor %}}. */
    record For(int at, Target target, Expr iterable, Expr filter, boolean recursive, List<Node> body,
               List<Node> otherwise) implements Node {
    }

    record Set(int at, Target target, Expr value) implements Node {
    }

    /** {@code {% set name | filters %} body {% endset %}}. */
    record SetBlock(int at, Target target, List<Expr.Filter> filters, List<Node> body) implements Node {
    }

    record Parameter(String name, Expr fallback) {
    }

    record MacroDefinition(int at, String name, List<Parameter> parameters, List<Node> body,
                           boolean usesCaller, boolean usesVarargs, boolean usesKwargs) implements Node {
    }

    /** {@code {% call(params) macro(args) %} body {% endcall %}}: body becomes {@code caller()}. */
    record CallBlock(int at, Expr.Call call, MacroDefinition caller) implements Node {
    }

    /** {@code {% filter f | g %} body {% endfilter %}}; the filters' targets are unused placeholders. */
    record FilterBlock(int at, List<Expr.Filter> filters, List<Node> body) implements Node {
    }

    record With(int at, List<Target> targets, List<Expr> values, List<Node> body) implements Node {
    }

    /** Hugging Face's {@code {% generation %}} marker around assistant output; rendering shows the body. */
    record Generation(int at, List<Node> body) implements Node {
    }

    record Break(int at) implements Node {
    }

    record Continue(int at) implements Node {
    }

    /** What {@code set}, {@code for} and {@code with} assign to. */
    sealed interface Target {
    }

    record NameTarget(String name) implements Target {
    }

    record TupleTarget(List<Target> items) implements Target {
    }

    /** {@code ns.attribute}: only namespaces accept it. */
    record NamespaceTarget(String name, String attribute) implements Target {
    }
}
