package dev.cascade.weights.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into tokens the way Jinja's lexer does in Hugging Face's environment:
 * trim_blocks (a newline right after a block or comment tag is dropped), lstrip_blocks (spaces and
 * tabs before a block or comment tag on its own line are dropped), {@code -} and {@code +}
 * whitespace control, comments dropped, {@code {% raw %}} bodies passed through as text, and
 * keep_trailing_newline off (one final newline of the source is not output).
 */
final class Lexer {
    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%([-+]?)\\s*raw\\s*(?:-%}\\s*|%})");
    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*(?:\\+%}|-%}\\s*|%}\\n?)");
    private static final Pattern FLOAT = Pattern.compile(
            "(?:\\d+_)*\\d+(?:(?:\\.(?:\\d+_)*\\d+)?[eE][+-]?(?:\\d+_)*\\d+|\\.(?:\\d+_)*\\d+)");
    private static final Pattern INTEGER = Pattern.compile(
            "0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+|[1-9](?:_?\\d)*|0(?:_?0)*");
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    };

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    /** True at the start and after a tag whose end swallowed a newline: lstrip then applies at offset 0 of the next text. */
    private boolean lineStarting = true;

    private Lexer(String source) {
        this.source = source;
    }

    /** Jinja reads \r\n and \r as \n and, without keep_trailing_newline, drops one final newline. */
    static String normalize(String template) {
        String unified = template.replace("\r\n", "\n").replace('\r', '\n');
        return unified.endsWith("\n") ? unified.substring(0, unified.length() - 1) : unified;
    }

    /** Tokens of an already {@link #normalize normalized} source, ending with an END token. */
    static List<Token> tokenize(String normalizedSource) {
        Lexer lexer = new Lexer(normalizedSource);
        lexer.run();
        return lexer.tokens;
    }

    private TemplateSyntaxException error(String message, int at) {
        return new TemplateSyntaxException(message, SourcePosition.of(source, at));
    }

    private void run() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitText(source.substring(pos), pos);
                break;
            }
            char kind = source.charAt(tag + 1);
            char sign = tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            boolean hasSign = sign == '-' || sign == '+';
            String text = source.substring(pos, tag);
            if (sign == '-') {
                text = PyStrings.strip(text, null, false, true);
            } else if (sign != '+' && kind != '{') {
                text = lstripBlock(text);
            }
            emitText(text, pos);
            Matcher raw = RAW_BEGIN.matcher(source).region(tag, source.length());
            if (kind == '%' && raw.lookingAt()) {
                lineStarting = source.charAt(raw.end() - 1) == '\n';
                lexRaw(raw.end(), tag);
                continue;
            }
            int inner = tag + 2 + (hasSign ? 1 : 0);
            switch (kind) {
                case '#' -> skipComment(inner, tag);
                case '%' -> lexTag(inner, tag, Token.Kind.BLOCK_BEGIN);
                default -> lexTag(inner, tag, Token.Kind.VARIABLE_BEGIN);
            }
        }
        tokens.add(new Token(Token.Kind.END, "", null, source.length()));
    }

    private int nextTagStart(int from) {
        for (int i = source.indexOf('{', from); i >= 0 && i + 1 < source.length(); i = source.indexOf('{', i + 1)) {
            char c = source.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** lstrip_blocks: drop whitespace between the last line start and the tag, if that is all there is. */
    private String lstripBlock(String text) {
        int lineStart = text.lastIndexOf('\n') + 1;
        if (lineStart == 0 && !lineStarting) {
            return text;
        }
        if (lineStart == text.length()) {
            return text;
        }
        for (int i = lineStart; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!PyStrings.isSpace(cp)) {
                return text;
            }
            i += Character.charCount(cp);
        }
        return text.substring(0, lineStart);
    }

    private void emitText(String text, int at) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Token.Kind.TEXT, text, null, at));
        }
    }

    private void lexRaw(int bodyStart, int tagStart) {
        Matcher end = RAW_END.matcher(source).region(bodyStart, source.length());
        if (!end.find()) {
            throw error("missing end of raw directive", tagStart);
        }
        String body = source.substring(bodyStart, end.start());
        String sign = end.group(1);
        if (sign.equals("-")) {
            body = PyStrings.strip(body, null, false, true);
        } else if (sign.isEmpty()) {
            body = lstripBlock(body);
        }
        emitText(body, bodyStart);
        pos = end.end();
        lineStarting = source.charAt(pos - 1) == '\n';
    }

    private void skipComment(int from, int tagStart) {
        for (int i = from; i + 1 < source.length(); i++) {
            if ((source.startsWith("+#}", i))) {
                finishTag(i + 3);
                return;
            }
            if (source.startsWith("-#}", i)) {
                finishTag(skipWhitespace(i + 3));
                return;
            }
            if (source.startsWith("#}", i)) {
                finishTag(trimNewline(i + 2));
                return;
            }
        }
        throw error("missing end of comment tag", tagStart);
    }

    private void finishTag(int end) {
        pos = end;
        lineStarting = end > 0 && source.charAt(end - 1) == '\n';
    }

    private int skipWhitespace(int i) {
        while (i < source.length() && PyStrings.isSpace(source.codePointAt(i))) {
            i += Character.charCount(source.codePointAt(i));
        }
        return i;
    }

    /** trim_blocks: one newline right after a block tag is not output. */
    private int trimNewline(int i) {
        return i < source.length() && source.charAt(i) == '\n' ? i + 1 : i;
    }

    private void lexTag(int from, int tagStart, Token.Kind begin) {
        boolean block = begin == Token.Kind.BLOCK_BEGIN;
        tokens.add(new Token(begin, block ? "{%" : "{{", null, tagStart));
        Deque<Character> open = new ArrayDeque<>();
        int i = from;
        while (true) {
            i = skipWhitespace(i);
            if (i >= source.length()) {
                throw error("unexpected end of template, the tag opened here is not closed", tagStart);
            }
            if (open.isEmpty()) {
                int end = tagEnd(i, block);
                if (end >= 0) {
                    tokens.add(new Token(block ? Token.Kind.BLOCK_END : Token.Kind.VARIABLE_END,
                            block ? "%}" : "}}", null, i));
                    finishTag(end);
                    return;
                }
            }
            i = lexToken(i, open);
        }
    }

    /** The offset after the tag end at {@code i}, or -1 when there is none there. */
    private int tagEnd(int i, boolean block) {
        if (block) {
            if (source.startsWith("+%}", i)) {
                return i + 3;
            }
            if (source.startsWith("-%}", i)) {
                return skipWhitespace(i + 3);
            }
            if (source.startsWith("%}", i)) {
                return trimNewline(i + 2);
            }
            return -1;
        }
        if (source.startsWith("-}}", i)) {
            return skipWhitespace(i + 3);
        }
        return source.startsWith("}}", i) ? i + 2 : -1;
    }

    private int lexToken(int i, Deque<Character> open) {
        char c = source.charAt(i);
        boolean afterDot = i > 0 && source.charAt(i - 1) == '.';
        if (Character.isDigit(c)) {
            Matcher f = FLOAT.matcher(source).region(i, source.length());
            if (!afterDot && f.lookingAt()) {
                String spelling = f.group();
                tokens.add(new Token(Token.Kind.FLOAT, spelling, Double.parseDouble(spelling.replace("_", "")), i));
                return f.end();
            }
            Matcher n = INTEGER.matcher(source).region(i, source.length());
            if (n.lookingAt()) {
                String spelling = n.group();
                tokens.add(new Token(Token.Kind.INTEGER, spelling, parseInteger(spelling, i), i));
                return n.end();
            }
        }
        int cp = source.codePointAt(i);
        if (cp == '_' || Character.isLetter(cp)) {
            int end = i;
            while (end < source.length()) {
                int next = source.codePointAt(end);
                if (next != '_' && !Character.isLetterOrDigit(next) && Character.getType(next) != Character.NON_SPACING_MARK) {
                    break;
                }
                end += Character.charCount(next);
            }
            tokens.add(new Token(Token.Kind.NAME, source.substring(i, end), null, i));
            return end;
        }
        if (c == '\'' || c == '"') {
            return lexString(i);
        }
        for (String op : OPERATORS) {
            if (source.startsWith(op, i)) {
                balance(op, open, i);
                tokens.add(new Token(Token.Kind.OPERATOR, op, null, i));
                return i + op.length();
            }
        }
        throw error("unexpected character " + PyStrings.repr(Character.toString(cp)), i);
    }

    private Long parseInteger(String spelling, int at) {
        String digits = spelling.replace("_", "");
        try {
            if (digits.length() > 2 && Character.isLetter(digits.charAt(1))) {
                int radix = switch (Character.toLowerCase(digits.charAt(1))) {
                    case 'b' -> 2;
                    case 'o' -> 8;
                    default -> 16;
                };
                return Long.parseLong(digits.substring(2), radix);
            }
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("integer literal too large: " + spelling, at);
        }
    }

    /** Brackets must pair up; an end-of-tag inside open brackets is not an end (as in Jinja). */
    private void balance(String op, Deque<Character> open, int at) {
        switch (op) {
            case "(" -> open.push(')');
            case "[" -> open.push(']');
            case "{" -> open.push('}');
            case ")", "]", "}" -> {
                if (open.isEmpty()) {
                    throw error("unexpected '" + op + "'", at);
                }
                char expected = open.pop();
                if (expected != op.charAt(0)) {
                    throw error("unexpected '" + op + "', expected '" + expected + "'", at);
                }
            }
            default -> {
            }
        }
    }

    private int lexString(int start) {
        char quote = source.charAt(start);
        int i = start + 1;
        while (i < source.length() && source.charAt(i) != quote) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        if (i >= source.length()) {
            throw error("unterminated string literal", start);
        }
        String value = StringEscapes.decode(source.substring(start + 1, i), msg -> error(msg, start));
        tokens.add(new Token(Token.Kind.STRING, value, null, start));
        return i + 1;
    }
}
