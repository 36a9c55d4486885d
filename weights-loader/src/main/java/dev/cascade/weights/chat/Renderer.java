package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.List;

/** Executes statements, writing output; one instance per render call. */
final class Renderer {
    /** Nested macro calls and recursive loop calls allowed; deeper is treated as runaway recursion. */
    static final int MAX_CALL_DEPTH = 100;
    /** Largest output one render may produce. */
    static final int MAX_OUTPUT_CHARS = 64 * 1024 * 1024;

    /** How a statement list finished: normally, or by {@code break}/{@code continue} of the enclosing loop. */
    enum Flow { NORMAL, BREAK, CONTINUE }

    private final String source;
    private final Evaluator evaluator = new Evaluator(this);
    private int callDepth;

    Renderer(String source) {
        this.source = source;
    }

    Evaluator evaluator() {
        return evaluator;
    }

    SourcePosition position(int offset) {
        return SourcePosition.of(source, offset);
    }

    String render(List<Node> template, Scope scope) {
        StringBuilder out = new StringBuilder();
        render(template, scope, out);
        return out.toString();
    }

    Flow render(List<Node> body, Scope scope, StringBuilder out) {
        for (Node node : body) {
            Flow flow;
            try {
                flow = renderNode(node, scope, out);
            } catch (TemplateRenderException e) {
                throw e.at(position(node.at()));
            }
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow renderNode(Node node, Scope scope, StringBuilder out) {
        switch (node) {
            case Node.Text t -> write(out, t.text());
            case Node.Output o -> write(out, PyValues.str(evaluator.evaluate(o.value(), scope)));
            case Node.If i -> {
                for (Node.Branch branch : i.branches()) {
                    if (PyValues.truthy(evaluator.evaluate(branch.condition(), scope))) {
                        return render(branch.body(), scope, out);
                    }
                }
                return render(i.otherwise(), scope, out);
            }
            case Node.For f -> renderFor(f, PyValues.iterate(evaluator.evaluate(f.iterable(), scope)), 1, scope, out);
            case Node.Set s -> assign(s.target(), evaluator.evaluate(s.value(), scope), scope);
            case Node.SetBlock s -> assign(s.target(), applyFilters(s.filters(), capture(s.body(), scope.child()), scope), scope);
            case Node.MacroDefinition m -> scope.set(m.name(), new Macro(m, scope, this));
            case Node.CallBlock c -> write(out, PyValues.str(evaluator.call(c.call(), scope, new Macro(c.caller(), scope, this))));
            case Node.FilterBlock f -> write(out, PyValues.str(applyFilters(f.filters(), capture(f.body(), scope.child()), scope)));
            case Node.With w -> {
                List<Object> values = new ArrayList<>();
                for (Expr value : w.values()) {
                    values.add(evaluator.evaluate(value, scope));
                }
                Scope inner = scope.child();
                for (int i = 0; i < values.size(); i++) {
                    assign(w.targets().get(i), values.get(i), inner);
                }
                return render(w.body(), inner, out);
            }
            case Node.Generation g -> {
                return render(g.body(), scope.child(), out);
            }
            case Node.Break b -> {
                return Flow.BREAK;
            }
            case Node.Continue c -> {
                return Flow.CONTINUE;
            }
        }
        return Flow.NORMAL;
    }

    private void write(StringBuilder out, String text) {
        if ((long) out.length() + text.length() > MAX_OUTPUT_CHARS) {
            throw new TemplateRenderException("output exceeds " + MAX_OUTPUT_CHARS + " characters");
        }
        out.append(text);
    }

    private String capture(List<Node> body, Scope scope) {
        StringBuilder captured = new StringBuilder();
        render(body, scope, captured);
        return captured.toString();
    }

    private Object applyFilters(List<Expr.Filter> filters, Object value, Scope scope) {
        Object result = value;
        for (Expr.Filter f : filters) {
            result = Filters.apply(f.name(), result, evaluator.arguments(f.args(), f.kwargs(), scope));
        }
        return result;
    }

    /**
     * One for loop over {@code items}. The {@code if} filter runs first, so loop.length counts only
     * the items that pass. Each iteration has its own scope: a plain set in the body is gone in
     * the next iteration and after the loop, as in Jinja.
     */
    private void renderFor(Node.For f, List<Object> allItems, int depth, Scope scope, StringBuilder out) {
        List<Object> items = allItems;
        if (f.filter() != null) {
            items = new ArrayList<>();
            for (Object item : allItems) {
                Scope test = scope.child();
                assign(f.target(), item, test);
                if (PyValues.truthy(evaluator.evaluate(f.filter(), test))) {
                    items.add(item);
                }
            }
        }
        if (items.isEmpty()) {
            render(f.otherwise(), scope.child(), out);
            return;
        }
        LoopState loop = new LoopState(items, depth, !f.recursive() ? null : children -> {
            enterCall();
            try {
                StringBuilder nested = new StringBuilder();
                renderFor(f, children, depth + 1, scope, nested);
                return nested.toString();
            } finally {
                callDepth--;
            }
        });
        for (int i = 0; i < items.size(); i++) {
            loop.advance(i);
            Scope iteration = scope.child();
            assign(f.target(), items.get(i), iteration);
            iteration.set("loop", loop);
            if (render(f.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
    }

    private void assign(Node.Target target, Object value, Scope scope) {
        switch (target) {
            case Node.NameTarget n -> scope.set(n.name(), value);
            case Node.NamespaceTarget n -> {
                if (!(scope.lookup(n.name()) instanceof Namespace ns)) {
                    throw new TemplateRenderException("cannot assign attribute '" + n.attribute() + "' of '" + n.name()
                            + "': only namespace() objects accept attribute assignment");
                }
                ns.set(n.attribute(), value);
            }
            case Node.TupleTarget t -> {
                List<Object> values = PyValues.iterate(value);
                if (values.size() != t.items().size()) {
                    throw new TemplateRenderException(values.size() > t.items().size()
                            ? "too many values to unpack (expected " + t.items().size() + ")"
                            : "not enough values to unpack (expected " + t.items().size() + ", got " + values.size() + ")");
                }
                for (int i = 0; i < values.size(); i++) {
                    assign(t.items().get(i), values.get(i), scope);
                }
            }
        }
    }

    String renderMacroBody(Node.MacroDefinition definition, Scope scope) {
        enterCall();
        try {
            return capture(definition.body(), scope);
        } finally {
            callDepth--;
        }
    }

    private void enterCall() {
        if (++callDepth > MAX_CALL_DEPTH) {
            callDepth--;
            throw new TemplateRenderException("maximum recursion depth exceeded (" + MAX_CALL_DEPTH + " nested calls)");
        }
    }
}
