package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jinja's {@code a.b} and {@code a[b]}. {@code a.b} tries a Python attribute (a str or dict method)
 * and then the item {@code a['b']}; {@code a[b]} tries the item first. A miss is undefined, except
 * on an undefined value, where Jinja fails.
 */
final class Access {
    private Access() {
    }

    static Object attribute(Object target, String name) {
        return switch (target) {
            case null -> Undefined.attribute(null, name);
            case Undefined u -> throw u.error();
            case Map<?, ?> map -> {
                JinjaCallable method = Methods.forMapping(map, name);
                if (method != null) {
                    yield method;
                }
                yield map.containsKey(name) ? map.get(name) : Undefined.attribute(map, name);
            }
            case Namespace ns -> ns.has(name) ? ns.get(name) : Undefined.attribute(ns, name);
            case LoopState loop -> loop.attribute(name);
            default -> {
                JinjaCallable method = Methods.forValue(target, name);
                yield method != null ? method : Undefined.attribute(target, name);
            }
        };
    }

    /** Python's getattr alone, without the item fallback: what the {@code attr} filter does. */
    static Object pythonAttribute(Object target, String name) {
        return switch (target) {
            case null -> Undefined.attribute(null, name);
            case Undefined u -> throw u.error();
            case Map<?, ?> map -> {
                JinjaCallable method = Methods.forMapping(map, name);
                yield method != null ? method : Undefined.attribute(map, name);
            }
            case Namespace ns -> ns.has(name) ? ns.get(name) : Undefined.attribute(ns, name);
            case LoopState loop -> loop.attribute(name);
            default -> {
                JinjaCallable method = Methods.forValue(target, name);
                yield method != null ? method : Undefined.attribute(target, name);
            }
        };
    }

    static Object item(Object target, Object key) {
        return switch (target) {
            case null -> Undefined.item(null, key);
            case Undefined u -> throw u.error();
            case Map<?, ?> map -> {
                if (PyValues.containsKey(map, key)) {
                    yield PyValues.getKey(map, key);
                }
                yield key instanceof String name ? attribute(target, name) : Undefined.item(map, key);
            }
            case List<?> list when PyValues.isInteger(key) -> {
                long i = PyValues.asLong(key);
                long index = i < 0 ? i + list.size() : i;
                yield index >= 0 && index < list.size() ? list.get((int) index) : Undefined.item(list, key);
            }
            case String s when PyValues.isInteger(key) -> {
                long i = PyValues.asLong(key);
                long length = PyValues.length(s);
                long index = i < 0 ? i + length : i;
                if (index < 0 || index >= length) {
                    yield Undefined.item(s, key);
                }
                int at = s.offsetByCodePoints(0, (int) index);
                yield Character.toString(s.codePointAt(at));
            }
            default -> key instanceof String name ? attribute(target, name) : Undefined.item(target, key);
        };
    }

    /** Python's {@code target[start:stop:step]} on a list, tuple or string; null bounds are omitted. */
    static Object slice(Object target, Object start, Object stop, Object step) {
        if (target instanceof Undefined u) {
            throw u.error();
        }
        long s = step == null ? 1 : sliceIndex(step);
        if (s == 0) {
            throw new TemplateRenderException("slice step cannot be zero");
        }
        List<?> items;
        if (target instanceof String text) {
            items = PyStrings.characters(text);
        } else if (target instanceof List<?> list) {
            items = list;
        } else {
            return Undefined.item(target, "slice");
        }
        long n = items.size();
        long from = bound(start, n, s, s > 0 ? 0 : n - 1);
        long to = bound(stop, n, s, s > 0 ? n : -1);
        List<Object> out = new ArrayList<>();
        for (long i = from; s > 0 ? i < to : i > to; i += s) {
            out.add(items.get((int) i));
        }
        if (target instanceof String) {
            StringBuilder text = new StringBuilder();
            out.forEach(c -> text.append((String) c));
            return text.toString();
        }
        if (target instanceof PyRange range) {
            return range.slice(from, to, s, out.size());
        }
        return target instanceof PyTuple ? new PyTuple(out) : out;
    }

    private static long sliceIndex(Object value) {
        if (!PyValues.isInteger(value)) {
            throw new TemplateRenderException("slice indices must be integers or None, not " + PyValues.typeName(value));
        }
        return PyValues.asLong(value);
    }

    /** Python's slice.indices(): negative counts from the end, then clamp to the valid range for the step. */
    private static long bound(Object value, long n, long step, long fallback) {
        if (value == null) {
            return fallback;
        }
        long i = sliceIndex(value);
        if (i < 0) {
            i += n;
            if (i < 0) {
                return step < 0 ? -1 : 0;
            }
        } else if (i >= n) {
            return step < 0 ? n - 1 : n;
        }
        return i;
    }
}
