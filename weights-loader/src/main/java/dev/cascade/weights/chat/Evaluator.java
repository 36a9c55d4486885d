package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates expressions to values in a scope. Errors get the position of the innermost failing expression. */
final class Evaluator {
    private final Renderer renderer;

    Evaluator(Renderer renderer) {
        this.renderer = renderer;
    }

    Object evaluate(Expr expr, Scope scope) {
        try {
            return evaluateUnpositioned(expr, scope);
        } catch (TemplateRenderException e) {
            throw e.at(renderer.position(expr.at()));
        }
    }

    private Object evaluateUnpositioned(Expr expr, Scope scope) {
        return switch (expr) {
            case Expr.Literal l -> l.value();
            case Expr.Name n -> scope.lookup(n.name());
            case Expr.ListLiteral l -> evaluateAll(l.items(), scope);
            case Expr.TupleLiteral t -> new PyTuple(evaluateAll(t.items(), scope));
            case Expr.DictLiteral d -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) {
                    Object key = evaluate(d.keys().get(i), scope);
                    if (key instanceof List<?> && !(key instanceof PyTuple) || key instanceof Map<?, ?>) {
                        throw new TemplateRenderException("unhashable type: '" + PyValues.typeName(key) + "'");
                    }
                    PyValues.putKey(map, key, evaluate(d.values().get(i), scope));
                }
                yield map;
            }
            case Expr.GetAttr g -> Access.attribute(evaluate(g.target(), scope), g.name());
            case Expr.GetItem g -> Access.item(evaluate(g.target(), scope), evaluate(g.key(), scope));
            case Expr.Slice s -> Access.slice(evaluate(s.target(), scope), evaluateOptional(s.start(), scope),
                    evaluateOptional(s.stop(), scope), evaluateOptional(s.step(), scope));
            case Expr.Call c -> call(c, scope, null);
            case Expr.Filter f -> Filters.apply(f.name(), evaluate(f.target(), scope), arguments(f.args(), f.kwargs(), scope));
            case Expr.Test t -> {
                List<Object> args = evaluateAll(t.args(), scope);
                boolean result = Tests.apply(t.name(), evaluate(t.target(), scope), args);
                yield result != t.negated();
            }
            case Expr.Unary u -> {
                Object operand = evaluate(u.operand(), scope);
                yield switch (u.op()) {
                    case NOT -> !PyValues.truthy(operand);
                    case NEGATE -> Operators.negate(operand);
                    case PLUS -> Operators.plus(operand);
                };
            }
            case Expr.Binary b -> Operators.binary(b.op(), evaluate(b.left(), scope), evaluate(b.right(), scope));
            case Expr.Logical l -> {
                Object left = evaluate(l.left(), scope);
                yield PyValues.truthy(left) == l.isAnd() ? evaluate(l.right(), scope) : left;
            }
            case Expr.Compare c -> {
                Object left = evaluate(c.first(), scope);
                for (Expr.Comparison link : c.rest()) {
                    Object right = evaluate(link.right(), scope);
                    if (!Operators.compare(link.operator(), left, right)) {
                        yield false;
                    }
                    left = right;
                }
                yield true;
            }
            case Expr.Conditional c -> {
                if (PyValues.truthy(evaluate(c.condition(), scope))) {
                    yield evaluate(c.then(), scope);
                }
                yield c.otherwise() != null ? evaluate(c.otherwise(), scope)
                        : new Undefined("the inline if-expression evaluated to false and no else section was defined");
            }
        };
    }

    private Object evaluateOptional(Expr expr, Scope scope) {
        return expr == null ? null : evaluate(expr, scope);
    }

    private List<Object> evaluateAll(List<Expr> exprs, Scope scope) {
        List<Object> values = new ArrayList<>(exprs.size());
        for (Expr e : exprs) {
            values.add(evaluate(e, scope));
        }
        return values;
    }

    CallArguments arguments(List<Expr> args, List<Expr.KeywordArg> kwargs, Scope scope) {
        Map<String, Object> keyword = new LinkedHashMap<>();
        for (Expr.KeywordArg k : kwargs) {
            if (keyword.containsKey(k.name())) {
                throw new TemplateRenderException("keyword argument repeated: " + k.name());
            }
            keyword.put(k.name(), evaluate(k.value(), scope));
        }
        return new CallArguments(evaluateAll(args, scope), keyword);
    }

    /** Calls {@code c}; a call block passes its body as the extra keyword argument {@code caller}. */
    Object call(Expr.Call c, Scope scope, Macro caller) {
        Object callee = evaluate(c.callee(), scope);
        CallArguments arguments = arguments(c.args(), c.kwargs(), scope);
        if (caller != null) {
            Map<String, Object> keyword = new LinkedHashMap<>(arguments.keyword());
            keyword.put("caller", caller);
            arguments = new CallArguments(arguments.positional(), keyword);
        }
        return switch (callee) {
            case null -> throw new TemplateRenderException("'NoneType' object is not callable");
            case Undefined u -> throw u.error();
            case JinjaCallable f -> f.call(arguments);
            default -> throw new TemplateRenderException("'" + PyValues.typeName(callee) + "' object is not callable");
        };
    }
}
