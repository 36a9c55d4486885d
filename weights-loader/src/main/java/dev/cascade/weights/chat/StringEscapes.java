package dev.cascade.weights.chat;

import java.util.function.Function;

/**
 * Decodes the inside of a Jinja string literal. Jinja decodes literals with Python's
 * "unicode-escape" codec, so the escapes are Python's: \n \t \\ \' \" \xhh, backslash-u plus 4 hex digits, backslash-U plus 8,
 * octal \ooo, \a \b \f \v, a backslash-newline is dropped, and an unknown escape stays as written.
 */
final class StringEscapes {
    private StringEscapes() {
    }

    static String decode(String body, Function<String, TemplateSyntaxException> error) {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder out = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> {
                }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + digits > body.length() || !isHex(body, i, digits)) {
                        throw error.apply("truncated \\" + e + " escape in string literal");
                    }
                    int cp = Integer.parseUnsignedInt(body.substring(i, i + digits), 16);
                    if (!Character.isValidCodePoint(cp)) {
                        throw error.apply("illegal Unicode character in string literal");
                    }
                    out.appendCodePoint(cp);
                    i += digits;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < body.length() && end < i + 2 && body.charAt(end) >= '0' && body.charAt(end) <= '7') {
                            end++;
                        }
                        out.appendCodePoint(Integer.parseInt(body.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
