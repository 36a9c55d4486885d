package dev.cascade.weights.chat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code str.format}: {@code {}} {@code {0}} {@code {name}} fields with {@code .attr} and
 * {@code [key]} lookups, {@code !s}/{@code !r} conversions and the common format specs
 * ({@code [[fill]align][sign][0][width][.precision][type]}), {@code {{} and {@code }}} escapes.
 */
final class PyFormat {
    private static final Pattern SPEC = Pattern.compile(
            "(?:(.)?([<>^=]))?([+\\- ])?(0)?(\\d+)?(?:\\.(\\d+))?([sdfFeExXo%])?");

    private PyFormat() {
    }

    static String format(String template, CallArguments args) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                if (i + 1 < template.length() && template.charAt(i + 1) == '}') {
                    out.append('}');
                    i += 2;
                    continue;
                }
                throw new TemplateRenderException("Single '}' encountered in format string");
            }
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
                continue;
            }
            int close = template.indexOf('}', i);
            if (close < 0) {
                throw new TemplateRenderException("Single '{' encountered in format string");
            }
            String field = template.substring(i + 1, close);
            i = close + 1;
            String spec = "";
            int colon = field.indexOf(':');
            if (colon >= 0) {
                spec = field.substring(colon + 1);
                field = field.substring(0, colon);
            }
            char conversion = 0;
            int bang = field.indexOf('!');
            if (bang >= 0) {
                conversion = bang + 1 < field.length() ? field.charAt(bang + 1) : 0;
                field = field.substring(0, bang);
            }
            Matcher m = Pattern.compile("^([^.\\[]*)").matcher(field);
            m.find();
            String head = m.group(1);
            Object value;
            if (head.isEmpty()) {
                value = positional(args.positional(), auto++);
            } else if (head.chars().allMatch(Character::isDigit)) {
                value = positional(args.positional(), Integer.parseInt(head));
            } else if (args.keyword().containsKey(head)) {
                value = args.keyword().get(head);
            } else {
                throw new TemplateRenderException("KeyError: " + PyStrings.repr(head));
            }
            value = lookups(value, field.substring(head.length()));
            if (conversion == 'r' || conversion == 'a') {
                value = PyValues.repr(value);
            } else if (conversion == 's') {
                value = PyValues.str(value);
            }
            out.append(applySpec(value, spec));
        }
        return out.toString();
    }

    private static Object positional(List<Object> values, int index) {
        if (index >= values.size()) {
            throw new TemplateRenderException("Replacement index " + index + " out of range for positional args tuple");
        }
        return values.get(index);
    }

    private static Object lookups(Object value, String rest) {
        Matcher m = Pattern.compile("\\.([^.\\[]+)|\\[([^\\]]+)]").matcher(rest);
        Object current = value;
        int end = 0;
        while (m.find() && m.start() == end) {
            end = m.end();
            if (m.group(1) != null) {
                current = Access.attribute(current, m.group(1));
            } else {
                String key = m.group(2);
                current = Access.item(current, key.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(key) : key);
            }
        }
        if (end != rest.length()) {
            throw new TemplateRenderException("invalid format field: " + rest);
        }
        return current;
    }

    private static String applySpec(Object value, String spec) {
        if (spec.isEmpty()) {
            return PyValues.str(value);
        }
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new TemplateRenderException("unsupported format specifier '" + spec + "'");
        }
        String fill = m.group(1) != null ? m.group(1) : m.group(4) != null ? "0" : " ";
        String align = m.group(2);
        int width = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
        int precision = m.group(6) == null ? -1 : Integer.parseInt(m.group(6));
        String type = m.group(7);
        boolean numeric = PyValues.isNumber(value) && !(value instanceof Boolean && type == null);
        String sign = "";
        String body;
        if (numeric && (type == null || !type.equals("s"))) {
            char t = type != null ? type.charAt(0) : value instanceof Double ? (precision >= 0 ? 'f' : 'r') : 'd';
            boolean negative = NumberFormatting.negative(value);
            sign = negative ? "-" : "+".equals(m.group(3)) ? "+" : " ".equals(m.group(3)) ? " " : "";
            if (t == 'r') {
                body = PyFloats.repr(Math.abs(PyValues.asDouble(value)));
            } else if (t == '%') {
                body = NumberFormatting.digits(PyValues.asDouble(value) * 100, 'f', precision) + "%";
            } else {
                body = NumberFormatting.digits(value, t, precision);
            }
            if (align == null) {
                align = m.group(4) != null ? "=" : ">";
            }
        } else {
            body = PyValues.str(value);
            if (precision >= 0 && PyValues.length(body) > precision) {
                body = (String) Access.slice(body, null, (long) precision, null);
            }
            if (align == null) {
                align = "<";
            }
        }
        int missing = width - sign.length() - body.codePointCount(0, body.length());
        if (missing <= 0) {
            return sign + body;
        }
        return switch (align) {
            case "<" -> sign + body + fill.repeat(missing);
            case "^" -> fill.repeat(missing / 2) + sign + body + fill.repeat(missing - missing / 2);
            case "=" -> sign + fill.repeat(missing) + body;
            default -> fill.repeat(missing) + sign + body;
        };
    }
}
