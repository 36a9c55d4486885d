package dev.cascade.weights.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python value semantics over the Java types the interpreter uses: None is null, bool is Boolean,
 * int is Long, float is Double, str is String, list is List, tuple is {@link PyTuple}, dict is Map.
 * Templates behave the way they do under Python's Jinja, so truthiness, str(), repr() and == follow
 * Python, not Java.
 */
final class PyValues {
    private PyValues() {
    }

    /** Converts caller-supplied Java values (Integer, arrays, records of messages...) to the types above. */
    static Object fromJava(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigInteger b -> {
                if (b.bitLength() >= 64) {
                    throw new IllegalArgumentException("integer too large for a template value: " + b);
                }
                yield b.longValue();
            }
            case BigDecimal d -> d.doubleValue();
            case Character c -> c.toString();
            case ChatMessage m -> fromJava(m.toMap());
            case PyTuple t -> t;
            case Map<?, ?> map -> {
                Map<Object, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(fromJava(k), fromJava(v)));
                yield copy;
            }
            case Collection<?> c -> {
                List<Object> copy = new ArrayList<>(c.size());
                c.forEach(e -> copy.add(fromJava(e)));
                yield copy;
            }
            case Object[] array -> fromJava(List.of(array));
            case Namespace n -> n;
            case JinjaCallable f -> f;
            default -> throw new IllegalArgumentException("unsupported template value type: " + value.getClass().getName());
        };
    }

    /** Python's type name, used in error messages ("'int' object is not iterable"). */
    static String typeName(Object value) {
        return switch (value) {
            case null -> "NoneType";
            case Boolean b -> "bool";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "str";
            case PyTuple t -> "tuple";
            case PyRange r -> "range";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Undefined u -> "Undefined";
            case Namespace n -> "Namespace";
            case LoopState l -> "LoopContext";
            case Macro m -> "Macro";
            case JinjaCallable f -> "function";
            default -> value.getClass().getSimpleName();
        };
    }

    static boolean truthy(Object value) {
        return switch (value) {
            case null -> false;
            case Boolean b -> b;
            case Long l -> l != 0;
            case Double d -> d != 0.0;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            case Undefined u -> false;
            default -> true;
        };
    }

    /** Python's str(): what {@code {{ value }}} prints. */
    static String str(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> s;
            case Undefined u -> "";
            default -> repr(value);
        };
    }

    /** Python's repr(): how values print inside lists and dicts. */
    static String repr(Object value) {
        return switch (value) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Long l -> l.toString();
            case Double d -> PyFloats.repr(d);
            case String s -> PyStrings.repr(s);
            case Undefined u -> "";
            case PyTuple t -> t.size() == 1 ? "(" + repr(t.get(0)) + ",)" : joinRepr(t, "(", ")");
            case PyRange r -> r.toString();
            case List<?> l -> joinRepr(l, "[", "]");
            case Map<?, ?> m -> {
                StringBuilder out = new StringBuilder("{");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (out.length() > 1) {
                        out.append(", ");
                    }
                    out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                }
                yield out.append('}').toString();
            }
            case Namespace n -> "<Namespace " + repr(n.attributes()) + ">";
            case LoopState l -> "<LoopContext " + l.index() + "/" + l.length() + ">";
            case JinjaCallable f -> f.describe();
            default -> value.toString();
        };
    }

    private static String joinRepr(List<?> items, String open, String close) {
        StringBuilder out = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(repr(items.get(i)));
        }
        return out.append(close).toString();
    }

    static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof Double || value instanceof Boolean;
    }

    static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Boolean;
    }

    /** An int or bool as a long (Python's bool is an int). */
    static long asLong(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : (Long) value;
    }

    static double asDouble(Object value) {
        return value instanceof Double d ? d : asLong(value);
    }

    /** Python's ==. */
    static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return asDouble(a) == asDouble(b);
            }
            return asLong(a) == asLong(b);
        }
        if (a instanceof String s) {
            return s.equals(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                Object key = findKey(y, e.getKey());
                if (key == MISSING || !equal(e.getValue(), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Undefined && b instanceof Undefined) {
            return true;
        }
        return a.equals(b);
    }

    private static final Object MISSING = new Object();

    /** The key of {@code map} equal to {@code key} in Python's sense (1 == 1.0 == True), or MISSING. */
    private static Object findKey(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) {
            return key;
        }
        if (isNumber(key)) {
            for (Object k : map.keySet()) {
                if (isNumber(k) && equal(k, key)) {
                    return k;
                }
            }
        }
        return MISSING;
    }

    /** Python's {@code d[key] = value}: a key equal to an existing one (1, 1.0, True) replaces its value. */
    static void putKey(Map<Object, Object> map, Object key, Object value) {
        Object existing = findKey(map, key);
        map.put(existing == MISSING ? key : existing, value);
    }

    static boolean containsKey(Map<?, ?> map, Object key) {
        return findKey(map, key) != MISSING;
    }

    static Object getKey(Map<?, ?> map, Object key) {
        Object k = findKey(map, key);
        return k == MISSING ? null : map.get(k);
    }

    /** Python's ordering for <, >, sort, min and max: numbers, strings by code point, sequences element-wise. */
    static int compare(Object a, Object b, String operator) {
        if (isNumber(a) && isNumber(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(asDouble(a), asDouble(b));
            }
            return Long.compare(asLong(a), asLong(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return PyStrings.compare(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), operator);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (a instanceof Undefined u) {
            throw u.error();
        }
        if (b instanceof Undefined u) {
            throw u.error();
        }
        throw new TemplateRenderException("'" + operator + "' not supported between instances of '"
                + typeName(a) + "' and '" + typeName(b) + "'");
    }

    /** The elements a for loop, join or list() sees: list items, a string's characters, a dict's keys. */
    static List<Object> iterate(Object value) {
        return switch (value) {
            case null -> throw new TemplateRenderException("'NoneType' object is not iterable");
            case List<?> l -> {
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) l;
                yield items;
            }
            case String s -> PyStrings.characters(s);
            case Map<?, ?> m -> new ArrayList<>(m.keySet());
            case Undefined u -> List.of();
            default -> throw new TemplateRenderException("'" + typeName(value) + "' object is not iterable");
        };
    }

    static boolean isIterable(Object value) {
        return value instanceof List<?> || value instanceof String || value instanceof Map<?, ?> || value instanceof Undefined;
    }

    /** Python's len(); Undefined has length 0 as in Jinja. */
    static long length(Object value) {
        return switch (value) {
            case null -> throw new TemplateRenderException("object of type 'NoneType' has no len()");
            case String s -> s.codePointCount(0, s.length());
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            case Undefined u -> 0;
            default -> throw new TemplateRenderException("object of type '" + typeName(value) + "' has no len()");
        };
    }

    /** Fails with Jinja's UndefinedError if the value is undefined; used where Jinja's Undefined raises. */
    static Object defined(Object value) {
        if (value instanceof Undefined u) {
            throw u.error();
        }
        return value;
    }
}
