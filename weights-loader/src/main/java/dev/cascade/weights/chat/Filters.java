package dev.cascade.weights.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja's built-in filters, with Hugging Face's {@code tojson} (no HTML escaping; ensure_ascii,
 * indent, separators and sort_keys as in Python's json.dumps). Each filter gets the value left of
 * the {@code |} and the call's arguments; parameter names and defaults are Jinja's, so keyword
 * arguments work as in templates written for Python.
 */
final class Filters {
    interface Filter {
        Object apply(Object value, CallArguments args);
    }

    private static final Map<String, Filter> FILTERS = new HashMap<>();
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern TITLE_WORD_SPLIT = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Object REQUIRED = CallArguments.REQUIRED;

    private Filters() {
    }

    static boolean exists(String name) {
        return FILTERS.containsKey(name);
    }

    static Object apply(String name, Object value, CallArguments args) {
        Filter filter = FILTERS.get(name);
        if (filter == null) {
            throw new TemplateRenderException("no filter named '" + name + "'");
        }
        return filter.apply(value, args);
    }

    private static void define(Filter filter, String... names) {
        for (String name : names) {
            FILTERS.put(name, filter);
        }
    }

    /** A filter of the value as a string (Jinja's soft_str: undefined is ""), with no arguments. */
    private static void stringFilter(String name, java.util.function.UnaryOperator<String> f) {
        define((value, args) -> {
            args.bind(name);
            return f.apply(PyValues.str(value));
        }, name);
    }

    static {
        stringFilter("upper", PyStrings::upper);
        stringFilter("lower", PyStrings::lower);
        stringFilter("capitalize", PyStrings::capitalize);
        stringFilter("title", Filters::title);
        stringFilter("string", s -> s);
        stringFilter("escape", Filters::escapeHtml);
        stringFilter("e", Filters::escapeHtml);
        stringFilter("forceescape", Filters::escapeHtml);
        define((value, args) -> {
            args.bind("safe");
            return value;
        }, "safe");
        define((value, args) -> {
            args.bind("pprint");
            return PyValues.repr(value);
        }, "pprint");
        define((value, args) -> {
            Object[] p = args.bind("trim", "chars", null);
            return PyStrings.strip(PyValues.str(value), p[0] == null ? null : PyValues.str(p[0]), true, true);
        }, "trim");
        define((value, args) -> {
            Object[] p = args.bind("replace", "old", REQUIRED, "new", REQUIRED, "count", null);
            long count = p[2] == null ? -1 : PyValues.asLong(p[2]);
            return PyStrings.replace(PyValues.str(value), PyValues.str(p[0]), PyValues.str(p[1]), count);
        }, "replace");
        define((value, args) -> {
            args.bind("wordcount");
            Matcher m = WORD.matcher(PyValues.str(value));
            long count = 0;
            while (m.find()) {
                count++;
            }
            return count;
        }, "wordcount");
        define((value, args) -> {
            Object[] p = args.bind("center", "width", 80L);
            return Methods.pad(PyValues.str(value), PyValues.asLong(p[0]), " ", "center");
        }, "center");
        define(Filters::indent, "indent");
        define(Filters::truncate, "truncate");
        define((value, args) -> PercentFormat.format(PyValues.str(value),
                args.keyword().isEmpty() ? new PyTuple(args.positional()) : args.keywordCopy()), "format");

        define((value, args) -> {
            Object[] p = args.bind("default", "default_value", "", "boolean", false);
            boolean useDefault = value instanceof Undefined || PyValues.truthy(p[1]) && !PyValues.truthy(value);
            return useDefault ? p[0] : value;
        }, "default", "d");
        define((value, args) -> {
            args.bind("length");
            return PyValues.length(value);
        }, "length", "count");
        define((value, args) -> {
            args.bind("list");
            return new ArrayList<>(PyValues.iterate(value));
        }, "list");
        define((value, args) -> {
            args.bind("first");
            List<Object> items = PyValues.iterate(value);
            return items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.getFirst();
        }, "first");
        define((value, args) -> {
            args.bind("last");
            List<Object> items = PyValues.iterate(value);
            return items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.getLast();
        }, "last");
        define((value, args) -> {
            args.bind("reverse");
            if (value instanceof String s) {
                return new StringBuilder(s).reverse().toString();
            }
            return new ArrayList<>(PyValues.iterate(value)).reversed();
        }, "reverse");
        define((value, args) -> {
            Object[] p = args.bind("join", "d", "", "attribute", null);
            StringBuilder out = new StringBuilder();
            String separator = PyValues.str(p[0]);
            boolean first = true;
            for (Object item : PyValues.iterate(value)) {
                out.append(first ? "" : separator).append(PyValues.str(p[1] == null ? item : attributeOf(item, p[1])));
                first = false;
            }
            return out.toString();
        }, "join");
        define((value, args) -> {
            args.bind("items");
            if (value instanceof Undefined) {
                return new ArrayList<>();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new TemplateRenderException("Can only get item pairs from a mapping.");
            }
            List<Object> pairs = new ArrayList<>();
            map.forEach((k, v) -> pairs.add(PyTuple.of(k, v)));
            return pairs;
        }, "items");
        define(Filters::dictsort, "dictsort");
        define(Filters::sort, "sort");
        define(Filters::unique, "unique");
        define((value, args) -> extreme(value, args, "min"), "min");
        define((value, args) -> extreme(value, args, "max"), "max");
        define((value, args) -> {
            Object[] p = args.bind("sum", "attribute", null, "start", 0L);
            Object total = p[1];
            for (Object item : PyValues.iterate(value)) {
                total = Operators.binary(Expr.BinaryOp.ADD, total, p[0] == null ? item : attributeOf(item, p[0]));
            }
            return total;
        }, "sum");
        define(Filters::map, "map");
        define((value, args) -> selectByTest(value, args, false, true), "select");
        define((value, args) -> selectByTest(value, args, false, false), "reject");
        define((value, args) -> selectByTest(value, args, true, true), "selectattr");
        define((value, args) -> selectByTest(value, args, true, false), "rejectattr");
        define((value, args) -> {
            Object[] p = args.bind("attr", "name", REQUIRED);
            return Access.pythonAttribute(value, PyValues.str(p[0]));
        }, "attr");
        define((value, args) -> {
            Object[] p = args.bind("batch", "linecount", REQUIRED, "fill_with", null);
            long size = PyValues.asLong(p[0]);
            if (size <= 0) {
                throw new TemplateRenderException("batch size must be positive");
            }
            List<Object> batches = new ArrayList<>();
            List<Object> current = new ArrayList<>();
            for (Object item : PyValues.iterate(value)) {
                current.add(item);
                if (current.size() == size) {
                    batches.add(current);
                    current = new ArrayList<>();
                }
            }
            if (!current.isEmpty()) {
                while (p[1] != null && current.size() < size) {
                    current.add(p[1]);
                }
                batches.add(current);
            }
            return batches;
        }, "batch");

        define((value, args) -> {
            args.bind("abs");
            Object v = PyValues.defined(value);
            if (v instanceof Double d) {
                return Math.abs(d);
            }
            if (PyValues.isInteger(v)) {
                return Math.abs(PyValues.asLong(v));
            }
            throw new TemplateRenderException("bad operand type for abs(): '" + PyValues.typeName(v) + "'");
        }, "abs");
        define(Filters::toInt, "int");
        define(Filters::toFloat, "float");
        define(Filters::round, "round");
        define((value, args) -> {
            Object[] p = args.bind("tojson", "ensure_ascii", false, "indent", null, "separators", null, "sort_keys", false);
            return PyJson.dumps(value, PyValues.truthy(p[0]), p[1], p[2], PyValues.truthy(p[3]));
        }, "tojson");
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
    }

    /** Jinja's title filter: upper-case the first character after -, whitespace or an opening bracket. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder();
        Matcher m = TITLE_WORD_SPLIT.matcher(s);
        int last = 0;
        while (m.find()) {
            out.append(titleWord(s.substring(last, m.start()))).append(m.group());
            last = m.end();
        }
        return out.append(titleWord(s.substring(last))).toString();
    }

    private static String titleWord(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int first = Character.charCount(word.codePointAt(0));
        return PyStrings.upper(word.substring(0, first)) + PyStrings.lower(word.substring(first));
    }

    private static Object indent(Object value, CallArguments args) {
        Object[] p = args.bind("indent", "width", 4L, "first", false, "blank", false);
        String indentation = p[0] instanceof String s ? s : " ".repeat((int) Math.max(0, PyValues.asLong(p[0])));
        // Jinja appends a newline before splitting so a trailing newline is kept.
        List<Object> lines = PyStrings.splitLines(PyValues.str(value) + "\n", false);
        StringBuilder out = new StringBuilder();
        if (PyValues.truthy(p[2])) {
            for (int i = 0; i < lines.size(); i++) {
                out.append(i > 0 ? "\n" + indentation : "").append(lines.get(i));
            }
        } else {
            out.append(lines.getFirst());
            for (int i = 1; i < lines.size(); i++) {
                String line = (String) lines.get(i);
                out.append('\n').append(line.isEmpty() ? "" : indentation).append(line);
            }
        }
        return PyValues.truthy(p[1]) ? indentation + out : out.toString();
    }

    private static Object truncate(Object value, CallArguments args) {
        Object[] p = args.bind("truncate", "length", 255L, "killwords", false, "end", "...", "leeway", null);
        String s = PyValues.str(value);
        long length = PyValues.asLong(p[0]);
        String end = PyValues.str(p[2]);
        long leeway = p[3] == null ? 5 : PyValues.asLong(p[3]);
        if (PyValues.length(s) <= length + leeway) {
            return s;
        }
        String head = (String) Access.slice(s, null, length - PyValues.length(end), null);
        if (PyValues.truthy(p[1])) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space >= 0 ? head.substring(0, space) : head) + end;
    }

    /** {@code attribute} may be a dotted path ("function.name") or an integer index, as in Jinja. */
    static Object attributeOf(Object item, Object attribute) {
        if (PyValues.isInteger(attribute)) {
            return Access.item(item, attribute);
        }
        Object current = item;
        for (String part : PyValues.str(attribute).split("\\.")) {
            current = part.chars().allMatch(Character::isDigit) && !part.isEmpty()
                    ? Access.item(current, Long.parseLong(part))
                    : Access.item(current, part);
        }
        return current;
    }

    /** Sort key of Jinja's sort/dictsort/unique/min/max: strings are lower-cased unless case_sensitive. */
    private static Object sortKey(Object value, boolean caseSensitive) {
        return !caseSensitive && value instanceof String s ? PyStrings.lower(s) : value;
    }

    /** Python's sort order; incomparable items (1 vs 'a') fail as in Python. */
    private static final Comparator<Object> PYTHON_ORDER = (a, b) -> PyValues.compare(a, b, "<");

    private static Object dictsort(Object value, CallArguments args) {
        Object[] p = args.bind("dictsort", "case_sensitive", false, "by", "key", "reverse", false);
        if (!(value instanceof Map<?, ?> map)) {
            throw new TemplateRenderException("dictsort filter needs a mapping, got " + PyValues.typeName(value));
        }
        int position = switch (PyValues.str(p[1])) {
            case "key" -> 0;
            case "value" -> 1;
            default -> throw new TemplateRenderException("You can only sort by either \"key\" or \"value\"");
        };
        boolean caseSensitive = PyValues.truthy(p[0]);
        List<Object> pairs = new ArrayList<>();
        map.forEach((k, v) -> pairs.add(PyTuple.of(k, v)));
        Comparator<Object> byKey = Comparator.comparing(pair -> sortKey(((PyTuple) pair).get(position), caseSensitive), PYTHON_ORDER);
        pairs.sort(PyValues.truthy(p[2]) ? byKey.reversed() : byKey);
        return pairs;
    }

    private static Object sort(Object value, CallArguments args) {
        Object[] p = args.bind("sort", "reverse", false, "case_sensitive", false, "attribute", null);
        boolean caseSensitive = PyValues.truthy(p[1]);
        List<Object> items = new ArrayList<>(PyValues.iterate(value));
        Comparator<Object> order = Comparator.comparing(
                item -> sortKey(p[2] == null ? item : attributeOf(item, p[2]), caseSensitive), PYTHON_ORDER);
        items.sort(PyValues.truthy(p[0]) ? order.reversed() : order);
        return items;
    }

    private static Object unique(Object value, CallArguments args) {
        Object[] p = args.bind("unique", "case_sensitive", false, "attribute", null);
        boolean caseSensitive = PyValues.truthy(p[0]);
        List<Object> seen = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            Object key = sortKey(p[1] == null ? item : attributeOf(item, p[1]), caseSensitive);
            if (seen.stream().noneMatch(k -> PyValues.equal(k, key))) {
                seen.add(key);
                out.add(item);
            }
        }
        return out;
    }

    private static Object extreme(Object value, CallArguments args, String which) {
        Object[] p = args.bind(which, "case_sensitive", false, "attribute", null);
        boolean caseSensitive = PyValues.truthy(p[0]);
        List<Object> items = PyValues.iterate(value);
        if (items.isEmpty()) {
            return new Undefined("No aggregated item, sequence was empty.");
        }
        Object best = items.getFirst();
        Object bestKey = sortKey(p[1] == null ? best : attributeOf(best, p[1]), caseSensitive);
        for (Object item : items.subList(1, items.size())) {
            Object key = sortKey(p[1] == null ? item : attributeOf(item, p[1]), caseSensitive);
            int c = PyValues.compare(key, bestKey, "<");
            if (which.equals("min") ? c < 0 : c > 0) {
                best = item;
                bestKey = key;
            }
        }
        return best;
    }

    private static Object map(Object value, CallArguments args) {
        List<Object> items = PyValues.iterate(value);
        List<Object> out = new ArrayList<>(items.size());
        if (args.positional().isEmpty() && args.keyword().containsKey("attribute")) {
            Object[] p = args.bind("map", "attribute", REQUIRED, "default", null);
            boolean hasDefault = args.keyword().containsKey("default");
            for (Object item : items) {
                Object v = attributeOf(item, p[0]);
                out.add(hasDefault && v instanceof Undefined ? p[1] : v);
            }
            return out;
        }
        if (args.positional().isEmpty()) {
            throw new TemplateRenderException("map requires a filter name or attribute=");
        }
        String filter = PyValues.str(args.positional().getFirst());
        CallArguments rest = new CallArguments(args.positional().subList(1, args.positional().size()), args.keyword());
        for (Object item : items) {
            out.add(apply(filter, item, rest));
        }
        return out;
    }

    /** select/reject and selectattr/rejectattr: keep items whose (attribute's) test result is {@code keep}. */
    private static Object selectByTest(Object value, CallArguments args, boolean byAttribute, boolean keep) {
        List<Object> positional = args.positional();
        int next = 0;
        Object attribute = null;
        if (byAttribute) {
            if (positional.isEmpty()) {
                throw new TemplateRenderException("missing parameter for attribute name");
            }
            attribute = positional.get(next++);
        }
        String test = next < positional.size() ? PyValues.str(positional.get(next++)) : null;
        List<Object> testArgs = positional.subList(Math.min(next, positional.size()), positional.size());
        List<Object> out = new ArrayList<>();
        for (Object item : PyValues.iterate(value)) {
            Object subject = byAttribute ? attributeOf(item, attribute) : item;
            boolean passes = test == null ? PyValues.truthy(subject) : Tests.apply(test, subject, testArgs);
            if (passes == keep) {
                out.add(item);
            }
        }
        return out;
    }

    private static Object toInt(Object value, CallArguments args) {
        Object[] p = args.bind("int", "default", 0L, "base", 10L);
        Object v = PyValues.defined(value);
        if (v instanceof String s) {
            String text = PyStrings.strip(s, null, true, true).replace("_", "");
            try {
                int base = (int) PyValues.asLong(p[1]);
                if (base == 16 && (text.startsWith("0x") || text.startsWith("0X"))) {
                    text = text.substring(2);
                }
                return Long.parseLong(text, base);
            } catch (NumberFormatException e) {
                try {
                    return (long) Double.parseDouble(text);
                } catch (NumberFormatException again) {
                    return p[0];
                }
            }
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? p[0] : (Object) (long) d.doubleValue();
        }
        if (PyValues.isInteger(v)) {
            return PyValues.asLong(v);
        }
        return p[0];
    }

    private static Object toFloat(Object value, CallArguments args) {
        Object[] p = args.bind("float", "default", 0.0);
        Object v = PyValues.defined(value);
        if (v instanceof String s) {
            try {
                String text = PyStrings.strip(s, null, true, true);
                if (!text.matches("[+-]?(\\d[\\d_]*\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(inf|infinity|nan)")) {
                    return p[0];
                }
                return Double.parseDouble(text.replace("_", "").replace("infinity", "Infinity").replace("inf", "Infinity")
                        .replace("nan", "NaN"));
            } catch (NumberFormatException e) {
                return p[0];
            }
        }
        return PyValues.isNumber(v) ? PyValues.asDouble(v) : p[0];
    }

    /** Jinja's round: 'common' is Python's round() (half to even), 'ceil' and 'floor' return floats. */
    private static Object round(Object value, CallArguments args) {
        Object[] p = args.bind("round", "precision", 0L, "method", "common");
        Object v = PyValues.defined(value);
        int precision = (int) PyValues.asLong(p[0]);
        String method = PyValues.str(p[1]);
        if (!PyValues.isNumber(v)) {
            throw new TemplateRenderException("round filter needs a number, got " + PyValues.typeName(v));
        }
        if (method.equals("common")) {
            if (PyValues.isInteger(v)) {
                // Python's round(int, n) stays an int; a negative n rounds to tens, hundreds...
                return precision >= 0 ? PyValues.asLong(v)
                        : BigDecimal.valueOf(PyValues.asLong(v)).setScale(precision, RoundingMode.HALF_EVEN).longValue();
            }
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).doubleValue();
        }
        double scale = Math.pow(10, precision);
        double d = PyValues.asDouble(v);
        return switch (method) {
            case "ceil" -> Math.ceil(d * scale) / scale;
            case "floor" -> Math.floor(d * scale) / scale;
            default -> throw new TemplateRenderException("method must be common, ceil or floor");
        };
    }
}
