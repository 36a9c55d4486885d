package dev.cascade.weights.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Python methods templates call on values: str methods ({@code content.split('</think>')},
 * {@code startswith}, {@code strip}...), dict methods ({@code items}, {@code get}...) and the read-only
 * list methods. Mutating methods are absent, as in Hugging Face's immutable sandbox.
 */
final class Methods {
    private Methods() {
    }

    private static JinjaCallable method(String owner, String name, java.util.function.Function<CallArguments, Object> body) {
        return new JinjaCallable() {
            @Override
            public Object call(CallArguments arguments) {
                return body.apply(arguments);
            }

            @Override
            public String describe() {
                return "<built-in method " + name + " of " + owner + " object>";
            }
        };
    }

    /** The method {@code name} of a dict, or null if dicts have none by that name. */
    static JinjaCallable forMapping(Map<?, ?> map, String name) {
        return switch (name) {
            case "items" -> method("dict", name, a -> {
                a.bind("items");
                List<Object> pairs = new ArrayList<>(map.size());
                map.forEach((k, v) -> pairs.add(PyTuple.of(k, v)));
                return pairs;
            });
            case "keys" -> method("dict", name, a -> {
                a.bind("keys");
                return new ArrayList<Object>(map.keySet());
            });
            case "values" -> method("dict", name, a -> {
                a.bind("values");
                return new ArrayList<Object>(map.values());
            });
            case "get" -> method("dict", name, a -> {
                Object[] p = a.bind("get", "key", CallArguments.REQUIRED, "default", null);
                return PyValues.containsKey(map, p[0]) ? PyValues.getKey(map, p[0]) : p[1];
            });
            case "copy" -> method("dict", name, a -> {
                a.bind("copy");
                return new java.util.LinkedHashMap<Object, Object>(map);
            });
            default -> null;
        };
    }

    /** The method {@code name} of a str or list value, or null. */
    static JinjaCallable forValue(Object target, String name) {
        if (target instanceof String s) {
            return forString(s, name);
        }
        if (target instanceof List<?> list) {
            String owner = PyValues.typeName(list);
            return switch (name) {
                case "index" -> method(owner, name, a -> {
                    Object[] p = a.bind("index", "value", CallArguments.REQUIRED);
                    for (int i = 0; i < list.size(); i++) {
                        if (PyValues.equal(list.get(i), p[0])) {
                            return (long) i;
                        }
                    }
                    throw new TemplateRenderException(PyValues.repr(p[0]) + " is not in list");
                });
                case "count" -> method(owner, name, a -> {
                    Object[] p = a.bind("count", "value", CallArguments.REQUIRED);
                    return list.stream().filter(e -> PyValues.equal(e, p[0])).count();
                });
                case "copy" -> method(owner, name, a -> new ArrayList<Object>(list));
                default -> null;
            };
        }
        return null;
    }

    private static String str(Object value, String method) {
        if (value instanceof String s) {
            return s;
        }
        throw new TemplateRenderException(method + "() argument must be str, not " + PyValues.typeName(value));
    }

    private static String optionalStr(Object value, String method) {
        return value == null ? null : str(value, method);
    }

    private static long integer(Object value, String method) {
        if (!PyValues.isInteger(value)) {
            throw new TemplateRenderException(method + "() argument must be int, not " + PyValues.typeName(value));
        }
        return PyValues.asLong(value);
    }

    /** {@code s[start:end]} with Python's optional, negative-capable bounds. */
    private static String range(String s, Object start, Object end) {
        if (start == null && end == null) {
            return s;
        }
        return (String) Access.slice(s, start, end, null);
    }

    private static long rangeStart(String s, Object start) {
        if (start == null) {
            return 0;
        }
        long n = PyValues.length(s);
        long i = PyValues.asLong(start);
        return i < 0 ? Math.max(0, i + n) : Math.min(i, n);
    }

    private static JinjaCallable forString(String s, String name) {
        return switch (name) {
            case "upper" -> method("str", name, a -> PyStrings.upper(s));
            case "lower", "casefold" -> method("str", name, a -> PyStrings.lower(s));
            case "title" -> method("str", name, a -> PyStrings.title(s));
            case "capitalize" -> method("str", name, a -> PyStrings.capitalize(s));
            case "swapcase" -> method("str", name, a -> {
                StringBuilder out = new StringBuilder();
                s.codePoints().forEach(cp -> out.append(Character.isUpperCase(cp) ? PyStrings.lower(Character.toString(cp))
                        : Character.isLowerCase(cp) ? PyStrings.upper(Character.toString(cp)) : Character.toString(cp)));
                return out.toString();
            });
            case "strip", "lstrip", "rstrip" -> method("str", name, a -> {
                Object[] p = a.bind(name, "chars", null);
                return PyStrings.strip(s, optionalStr(p[0], name), !name.equals("rstrip"), !name.equals("lstrip"));
            });
            case "split", "rsplit" -> method("str", name, a -> {
                Object[] p = a.bind(name, "sep", null, "maxsplit", -1L);
                String sep = optionalStr(p[0], name);
                long max = integer(p[1], name);
                return name.equals("split") ? PyStrings.split(s, sep, max) : PyStrings.rsplit(s, sep, max);
            });
            case "splitlines" -> method("str", name, a -> {
                Object[] p = a.bind(name, "keepends", false);
                return PyStrings.splitLines(s, PyValues.truthy(p[0]));
            });
            case "startswith", "endswith" -> method("str", name, a -> {
                Object[] p = a.bind(name, "prefix", CallArguments.REQUIRED, "start", null, "end", null);
                String part = range(s, p[1], p[2]);
                List<?> options = p[0] instanceof PyTuple t ? t : List.of(str(p[0], name));
                for (Object option : options) {
                    String o = str(option, name);
                    if (name.equals("startswith") ? part.startsWith(o) : part.endsWith(o)) {
                        return true;
                    }
                }
                return false;
            });
            case "replace" -> method("str", name, a -> {
                Object[] p = a.bind(name, "old", CallArguments.REQUIRED, "new", CallArguments.REQUIRED, "count", -1L);
                return PyStrings.replace(s, str(p[0], name), str(p[1], name), integer(p[2], name));
            });
            case "find", "rfind", "index", "rindex", "count" -> method("str", name, a -> {
                Object[] p = a.bind(name, "sub", CallArguments.REQUIRED, "start", null, "end", null);
                String sub = str(p[0], name);
                String part = range(s, p[1], p[2]);
                if (name.equals("count")) {
                    return sub.isEmpty() ? PyValues.length(part) + 1 : (long) PyStrings.split(part, sub, -1).size() - 1;
                }
                int at = name.startsWith("r") ? part.lastIndexOf(sub) : part.indexOf(sub);
                if (at < 0) {
                    if (name.endsWith("index")) {
                        throw new TemplateRenderException("substring not found");
                    }
                    return -1L;
                }
                return rangeStart(s, p[1]) + PyStrings.codePointIndex(part, at);
            });
            case "join" -> method("str", name, a -> {
                Object[] p = a.bind(name, "iterable", CallArguments.REQUIRED);
                StringBuilder out = new StringBuilder();
                List<Object> items = PyValues.iterate(p[0]);
                for (int i = 0; i < items.size(); i++) {
                    if (!(items.get(i) instanceof String item)) {
                        throw new TemplateRenderException("sequence item " + i + ": expected str instance, "
                                + PyValues.typeName(items.get(i)) + " found");
                    }
                    out.append(i > 0 ? s : "").append(item);
                }
                return out.toString();
            });
            case "format" -> method("str", name, a -> PyFormat.format(s, a));
            case "removeprefix" -> method("str", name, a -> {
                String prefix = str(a.bind(name, "prefix", CallArguments.REQUIRED)[0], name);
                return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            });
            case "removesuffix" -> method("str", name, a -> {
                String suffix = str(a.bind(name, "suffix", CallArguments.REQUIRED)[0], name);
                return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            });
            case "partition", "rpartition" -> method("str", name, a -> {
                String sep = str(a.bind(name, "sep", CallArguments.REQUIRED)[0], name);
                if (sep.isEmpty()) {
                    throw new TemplateRenderException("empty separator");
                }
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    return name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                }
                return PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
            });
            case "center", "ljust", "rjust" -> method("str", name, a -> {
                Object[] p = a.bind(name, "width", CallArguments.REQUIRED, "fillchar", " ");
                return pad(s, integer(p[0], name), str(p[1], name), name);
            });
            case "zfill" -> method("str", name, a -> {
                long width = integer(a.bind(name, "width", CallArguments.REQUIRED)[0], name);
                long missing = width - PyValues.length(s);
                if (missing <= 0) {
                    return s;
                }
                boolean signed = s.startsWith("+") || s.startsWith("-");
                return (signed ? s.substring(0, 1) : "") + "0".repeat((int) missing) + (signed ? s.substring(1) : s);
            });
            case "isdigit", "isdecimal", "isnumeric" -> predicate(s, name, Character::isDigit);
            case "isalpha" -> predicate(s, name, Character::isLetter);
            case "isalnum" -> predicate(s, name, Character::isLetterOrDigit);
            case "isspace" -> predicate(s, name, PyStrings::isSpace);
            case "isupper" -> method("str", name, a -> PyStrings.isUpper(s));
            case "islower" -> method("str", name, a -> PyStrings.isLower(s));
            default -> null;
        };
    }

    private static JinjaCallable predicate(String s, String name, java.util.function.IntPredicate test) {
        return method("str", name, a -> !s.isEmpty() && s.codePoints().allMatch(test));
    }

    /** str.center/ljust/rjust with CPython's placement of an odd fill character. */
    static String pad(String s, long width, String fill, String how) {
        if (fill.codePointCount(0, fill.length()) != 1) {
            throw new TemplateRenderException("The fill character must be exactly one character long");
        }
        long missing = width - PyValues.length(s);
        if (missing <= 0) {
            return s;
        }
        long left = switch (how) {
            case "ljust" -> 0;
            case "rjust" -> missing;
            // CPython's center: left = missing/2 + (missing & width & 1).
            default -> missing / 2 + (missing & width & 1);
        };
        return fill.repeat((int) left) + s + fill.repeat((int) (missing - left));
    }
}
