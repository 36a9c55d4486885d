package dev.cascade.weights.chat;

import java.util.List;
import java.util.Map;

/**
 * Python's printf-style {@code "format" % values}, used by {@code %} on strings and by the
 * {@code format} filter: {@code %s %r %d %i %f %e %x %o %c %%}, with {@code (name)}, flags
 * {@code -+ 0}, width and precision.
 */
final class PercentFormat {
    private PercentFormat() {
    }

    static String format(String format, Object values) {
        Map<?, ?> mapping = values instanceof Map<?, ?> m ? m : null;
        List<?> positional = values instanceof PyTuple t ? t : mapping != null ? List.of() : List.of(values);
        int next = 0;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                throw new TemplateRenderException("incomplete format");
            }
            Object value = null;
            boolean haveValue = false;
            if (format.charAt(i) == '(') {
                int close = format.indexOf(')', i);
                if (close < 0 || mapping == null) {
                    throw new TemplateRenderException(close < 0 ? "incomplete format key" : "format requires a mapping");
                }
                String key = format.substring(i + 1, close);
                if (!mapping.containsKey(key)) {
                    throw new TemplateRenderException("format key not found: " + PyStrings.repr(key));
                }
                value = mapping.get(key);
                haveValue = true;
                i = close + 1;
            }
            boolean left = false;
            boolean plus = false;
            boolean space = false;
            boolean zeros = false;
            while (i < format.length() && "-+ 0#".indexOf(format.charAt(i)) >= 0) {
                switch (format.charAt(i++)) {
                    case '-' -> left = true;
                    case '+' -> plus = true;
                    case ' ' -> space = true;
                    case '0' -> zeros = true;
                    default -> {
                    }
                }
            }
            int width = 0;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i++) - '0');
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    precision = precision * 10 + (format.charAt(i++) - '0');
                }
            }
            if (i >= format.length()) {
                throw new TemplateRenderException("incomplete format");
            }
            char type = format.charAt(i++);
            if (type == '%') {
                out.append('%');
                continue;
            }
            if (!haveValue) {
                if (next >= positional.size()) {
                    throw new TemplateRenderException("not enough arguments for format string");
                }
                value = positional.get(next++);
            }
            out.append(convert(value, type, left, plus, space, zeros, width, precision));
        }
        if (mapping == null && next < positional.size()) {
            throw new TemplateRenderException("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static String convert(Object value, char type, boolean left, boolean plus, boolean space, boolean zeros,
                                  int width, int precision) {
        switch (type) {
            case 's', 'r', 'a' -> {
                String text = type == 's' ? PyValues.str(value) : PyValues.repr(value);
                if (precision >= 0 && PyValues.length(text) > precision) {
                    text = (String) Access.slice(text, null, (long) precision, null);
                }
                return NumberFormatting.pad("", text, width, left, false);
            }
            case 'c' -> {
                String text = value instanceof String s ? s : Character.toString((int) PyValues.asLong(value));
                return NumberFormatting.pad("", text, width, left, false);
            }
            default -> {
                if (value instanceof String) {
                    throw new TemplateRenderException("%" + type + " format: a real number is required, not str");
                }
                Object number = PyValues.defined(value);
                String sign = NumberFormatting.negative(number) ? "-" : plus ? "+" : space ? " " : "";
                return NumberFormatting.pad(sign, NumberFormatting.digits(number, type, precision), width, left, zeros && !left);
            }
        }
    }
}
