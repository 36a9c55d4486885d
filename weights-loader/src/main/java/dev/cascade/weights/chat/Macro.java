package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macro value: the definition plus the scope it was defined in (macros see the variables around
 * their definition, not their caller's). Calling binds arguments like Jinja: missing ones are
 * undefined, extra positional ones go to {@code varargs} and extra keyword ones to {@code kwargs}
 * only if the body uses those names, and {@code caller} is passed by a call block.
 */
final class Macro implements JinjaCallable {
    private final Node.MacroDefinition definition;
    private final Scope closure;
    private final Renderer renderer;

    Macro(Node.MacroDefinition definition, Scope closure, Renderer renderer) {
        this.definition = definition;
        this.closure = closure;
        this.renderer = renderer;
    }

    String name() {
        return definition.name();
    }

    @Override
    public Object call(CallArguments arguments) {
        List<Node.Parameter> parameters = definition.parameters();
        Scope scope = closure.child();
        List<Object> positional = arguments.positional();
        Map<String, Object> keyword = new LinkedHashMap<>(arguments.keyword());
        Object caller = keyword.remove("caller");
        if (caller != null) {
            scope.set("caller", caller);
        } else if (definition.usesCaller()) {
            scope.set("caller", new Undefined("no caller defined"));
        }
        if (positional.size() > parameters.size() && !definition.usesVarargs()) {
            throw new TemplateRenderException("macro '" + name() + "' takes not more than " + parameters.size()
                    + " argument(s)");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Node.Parameter p = parameters.get(i);
            if (i < positional.size()) {
                if (keyword.containsKey(p.name())) {
                    throw new TemplateRenderException("macro '" + name() + "' got multiple values for argument '"
                            + p.name() + "'");
                }
                scope.set(p.name(), positional.get(i));
            } else if (keyword.containsKey(p.name())) {
                scope.set(p.name(), keyword.remove(p.name()));
            } else if (p.fallback() != null) {
                // Defaults are evaluated at call time and may use earlier parameters.
                scope.set(p.name(), renderer.evaluator().evaluate(p.fallback(), scope));
            } else {
                scope.set(p.name(), new Undefined("parameter '" + p.name() + "' was not provided"));
            }
        }
        if (!keyword.isEmpty() && !definition.usesKwargs()) {
            throw new TemplateRenderException("macro '" + name() + "' takes no keyword argument '"
                    + keyword.keySet().iterator().next() + "'");
        }
        List<Object> extra = positional.size() > parameters.size()
                ? new ArrayList<>(positional.subList(parameters.size(), positional.size()))
                : List.of();
        scope.set("varargs", new PyTuple(extra));
        scope.set("kwargs", new LinkedHashMap<Object, Object>(keyword));
        return renderer.renderMacroBody(definition, scope);
    }

    @Override
    public String describe() {
        return "<Macro '" + name() + "'>";
    }
}
