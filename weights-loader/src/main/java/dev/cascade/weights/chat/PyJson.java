package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii, indent, separators, sort_keys)}, which is what
 * Hugging Face's {@code tojson} filter calls. Output matches Python's byte for byte: ", " and ": "
 * separators without indent, "," and ": " with it, floats as Python's repr, lower-case \\u escapes.
 */
final class PyJson {
    private PyJson() {
    }

    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentUnit = null;
        if (indent instanceof String s) {
            indentUnit = s;
        } else if (indent != null && !(indent instanceof Undefined)) {
            if (!PyValues.isInteger(indent)) {
                throw new TemplateRenderException("tojson indent must be an int or a string");
            }
            indentUnit = " ".repeat((int) Math.max(0, PyValues.asLong(indent)));
        }
        String itemSeparator = indentUnit == null ? ", " : ",";
        String keySeparator = ": ";
        if (separators != null && !(separators instanceof Undefined)) {
            List<Object> pair = PyValues.iterate(separators);
            if (pair.size() != 2 || !(pair.get(0) instanceof String item) || !(pair.get(1) instanceof String key)) {
                throw new TemplateRenderException("tojson separators must be a pair of strings");
            }
            itemSeparator = item;
            keySeparator = key;
        }
        StringBuilder out = new StringBuilder();
        new Writer(out, ensureAscii, indentUnit, itemSeparator, keySeparator, sortKeys).write(value, 0);
        return out.toString();
    }

    private record Writer(StringBuilder out, boolean ensureAscii, String indent, String itemSeparator,
                          String keySeparator, boolean sortKeys) {

        void write(Object value, int level) {
            if (level > Parser.MAX_DEPTH) {
                throw new TemplateRenderException("tojson: value nested too deeply");
            }
            switch (value) {
                case null -> out.append("null");
                case Boolean b -> out.append(b ? "true" : "false");
                case Long l -> out.append(l);
                case Double d -> out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                        : PyFloats.repr(d));
                case String s -> string(s);
                case List<?> list -> {
                    if (list.isEmpty()) {
                        out.append("[]");
                        return;
                    }
                    out.append('[');
                    for (int i = 0; i < list.size(); i++) {
                        out.append(i > 0 ? itemSeparator : "");
                        newline(level + 1);
                        write(list.get(i), level + 1);
                    }
                    newline(level);
                    out.append(']');
                }
                case Map<?, ?> map -> {
                    if (map.isEmpty()) {
                        out.append("{}");
                        return;
                    }
                    List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
                    if (sortKeys) {
                        entries.sort((a, b) -> PyValues.compare(a.getKey(), b.getKey(), "<"));
                    }
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> e : entries) {
                        out.append(first ? "" : itemSeparator);
                        first = false;
                        newline(level + 1);
                        string(key(e.getKey()));
                        out.append(keySeparator);
                        write(e.getValue(), level + 1);
                    }
                    newline(level);
                    out.append('}');
                }
                default -> throw new TemplateRenderException("Object of type " + PyValues.typeName(value)
                        + " is not JSON serializable");
            }
        }

        /** Python converts str, int, float, bool and None keys to strings; others are an error. */
        private static String key(Object key) {
            return switch (key) {
                case String s -> s;
                case null -> "null";
                case Boolean b -> b ? "true" : "false";
                case Long l -> l.toString();
                case Double d -> PyFloats.repr(d);
                default -> throw new TemplateRenderException("keys must be str, int, float, bool or None, not "
                        + PyValues.typeName(key));
            };
        }

        private void newline(int level) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(level));
            }
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || ensureAscii && c > 0x7e) {
                            // UTF-16 units, so characters above U+FFFF come out as surrogate pairs, as in Python.
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
