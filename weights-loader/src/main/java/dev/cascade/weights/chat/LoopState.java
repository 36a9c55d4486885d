package dev.cascade.weights.chat;

import java.util.List;
import java.util.function.Function;

/**
 * The {@code loop} variable inside a for loop: index, index0, revindex, revindex0, first, last,
 * length, previtem, nextitem, depth, depth0, cycle(...), changed(...), and for
 * {@code recursive} loops calling {@code loop(children)}.
 */
final class LoopState implements JinjaCallable {
    private final List<Object> items;
    private final int depth;
    private final Function<List<Object>, String> recurse;
    private int index0;
    private static final Object NOTHING_YET = new Object();
    private Object lastChangedValue = NOTHING_YET;

    /** {@code recurse} renders the loop body over other items one level deeper; null if not recursive. */
    LoopState(List<Object> items, int depth, Function<List<Object>, String> recurse) {
        this.items = items;
        this.depth = depth;
        this.recurse = recurse;
    }

    void advance(int newIndex0) {
        index0 = newIndex0;
    }

    long index() {
        return index0 + 1L;
    }

    long length() {
        return items.size();
    }

    /** The value of {@code loop.name}, or Undefined for a name a loop does not have. */
    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> index0 + 1L;
            case "index0" -> (long) index0;
            case "revindex" -> (long) (n - index0);
            case "revindex0" -> (long) (n - index0 - 1);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth;
            case "depth0" -> depth - 1L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : new Undefined("there is no next item");
            case "cycle" -> JinjaCallable.function("cycle", args -> {
                if (args.positional().isEmpty()) {
                    throw new TemplateRenderException("no items for cycling given");
                }
                return args.positional().get(index0 % args.positional().size());
            });
            case "changed" -> JinjaCallable.function("changed", args -> {
                Object value = new PyTuple(args.positional());
                boolean changed = lastChangedValue == NOTHING_YET || !PyValues.equal(value, lastChangedValue);
                lastChangedValue = value;
                return changed;
            });
            default -> Undefined.attribute(this, name);
        };
    }

    @Override
    public Object call(CallArguments arguments) {
        if (recurse == null) {
            throw new TemplateRenderException("the loop was not declared 'recursive', so loop(...) cannot be called");
        }
        if (arguments.positional().size() != 1 || !arguments.keyword().isEmpty()) {
            throw new TemplateRenderException("loop() takes exactly one argument");
        }
        return recurse.apply(PyValues.iterate(arguments.positional().getFirst()));
    }

    @Override
    public String describe() {
        return "<LoopContext " + index() + "/" + length() + ">";
    }
}
