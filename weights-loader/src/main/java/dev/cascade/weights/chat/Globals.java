package dev.cascade.weights.chat;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions every template can call: Jinja's range, namespace, dict and joiner, and the two
 * Hugging Face adds, raise_exception and strftime_now.
 */
final class Globals {
    /** Jinja's sandbox refuses ranges longer than this. */
    static final long MAX_RANGE = 100_000;

    private Globals() {
    }

    static void install(Scope scope, Clock clock) {
        scope.set("range", JinjaCallable.function("range", Globals::range));
        scope.set("namespace", JinjaCallable.function("namespace", args -> {
            Map<String, Object> initial = new LinkedHashMap<>();
            for (Object positional : args.positional()) {
                if (!(positional instanceof Map<?, ?> map)) {
                    throw new TemplateRenderException("namespace() takes keyword arguments or a mapping");
                }
                map.forEach((k, v) -> initial.put(PyValues.str(k), v));
            }
            initial.putAll(args.keyword());
            return new Namespace(initial);
        }));
        scope.set("dict", JinjaCallable.function("dict", args -> {
            Map<Object, Object> result = new LinkedHashMap<>();
            for (Object positional : args.positional()) {
                if (positional instanceof Map<?, ?> map) {
                    result.putAll(map);
                } else {
                    for (Object pair : PyValues.iterate(positional)) {
                        List<Object> kv = PyValues.iterate(pair);
                        if (kv.size() != 2) {
                            throw new TemplateRenderException("dictionary update sequence element has length "
                                    + kv.size() + "; 2 is required");
                        }
                        result.put(kv.get(0), kv.get(1));
                    }
                }
            }
            result.putAll(args.keyword());
            return result;
        }));
        scope.set("joiner", JinjaCallable.function("joiner", args -> {
            String separator = PyValues.str(args.bind("joiner", "sep", ", ")[0]);
            boolean[] used = {false};
            return JinjaCallable.function("joiner", none -> {
                if (used[0]) {
                    return separator;
                }
                used[0] = true;
                return "";
            });
        }));
        scope.set("raise_exception", JinjaCallable.function("raise_exception", args -> {
            Object[] p = args.bind("raise_exception", "message", CallArguments.REQUIRED);
            throw new TemplateRaisedException(PyValues.str(p[0]));
        }));
        scope.set("strftime_now", JinjaCallable.function("strftime_now", args -> {
            Object[] p = args.bind("strftime_now", "format", CallArguments.REQUIRED);
            return Strftime.format(ZonedDateTime.now(clock), PyValues.str(p[0]));
        }));
    }

    private static Object range(CallArguments args) {
        if (!args.keyword().isEmpty() || args.positional().isEmpty() || args.positional().size() > 3) {
            throw new TemplateRenderException("range expected 1 to 3 integer arguments");
        }
        long[] a = new long[args.positional().size()];
        for (int i = 0; i < a.length; i++) {
            Object v = args.positional().get(i);
            if (!PyValues.isInteger(v)) {
                throw new TemplateRenderException("'" + PyValues.typeName(v) + "' object cannot be interpreted as an integer");
            }
            a[i] = PyValues.asLong(v);
        }
        long start = a.length == 1 ? 0 : a[0];
        long stop = a.length == 1 ? a[0] : a[1];
        long step = a.length == 3 ? a[2] : 1;
        if (step == 0) {
            throw new TemplateRenderException("range() arg 3 must not be zero");
        }
        long count = step > 0 ? Math.max(0, Math.ceilDiv(stop - start, step)) : Math.max(0, Math.ceilDiv(start - stop, -step));
        if (count > MAX_RANGE) {
            throw new TemplateRenderException("Range too big. The sandbox blocks ranges larger than MAX_RANGE (" + MAX_RANGE + ").");
        }
        return new PyRange(start, stop, step, (int) count);
    }
}
