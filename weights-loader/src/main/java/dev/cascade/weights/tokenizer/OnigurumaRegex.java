package dev.cascade.weights.tokenizer;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the Oniguruma (Ruby syntax) regexes of tokenizer.json with java.util.regex so that
 * they match what Hugging Face's tokenizers matches:
 * <ul>
 * <li>{@code \s \d \w \b} are Unicode-aware in Oniguruma on UTF-8 text: UNICODE_CHARACTER_CLASS
 * (which also gives Unicode case folding to {@code (?i:...)}).</li>
 * <li>{@code ^ $} are line anchors and only {@code \n} ends a line, {@code .} stops only at
 * {@code \n}: MULTILINE and UNIX_LINES.</li>
 * <li>{@code \h} is a hex digit in Oniguruma (horizontal space in Java); {@code (?m)} is Ruby's
 * dot-all (Java's {@code (?s)}); {@code \p{^X}} is a negated property; script names such as
 * {@code \p{Han}} need Java's {@code Is} prefix.</li>
 * </ul>
 * Possessive quantifiers, atomic groups, lookaround and {@code \p{L}}-style classes have the
 * same meaning in both and pass through unchanged.
 */
final class OnigurumaRegex {
    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.MULTILINE | Pattern.UNIX_LINES;

    private static final Set<String> GENERAL_CATEGORIES = Set.of(
            "L", "Lu", "Ll", "Lt", "Lm", "Lo", "LC", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
            "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
            "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn");

    private OnigurumaRegex() {
    }

    static Pattern compile(String onigPattern) {
        String java = translate(onigPattern);
        try {
            return Pattern.compile(java, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("cannot translate regex '" + onigPattern + "': " + e.getDescription(), e);
        }
    }

    static String translate(String p) {
        StringBuilder out = new StringBuilder(p.length() + 16);
        int classDepth = 0;
        int i = 0;
        int n = p.length();
        while (i < n) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char e = p.charAt(i + 1);
                if (e == 'h' || e == 'H') {
                    if (classDepth > 0 && e == 'H') {
                        throw new IllegalArgumentException("\\H inside a character class is not supported: " + p);
                    }
                    out.append(classDepth > 0 ? "0-9a-fA-F" : (e == 'h' ? "[0-9a-fA-F]" : "[^0-9a-fA-F]"));
                    i += 2;
                } else if ((e == 'p' || e == 'P') && i + 2 < n && p.charAt(i + 2) == '{') {
                    int close = p.indexOf('}', i + 3);
                    if (close < 0) {
                        throw new IllegalArgumentException("unterminated \\p{ in regex: " + p);
                    }
                    String name = p.substring(i + 3, close);
                    boolean negate = e == 'P';
                    if (name.startsWith("^")) {
                        negate = !negate;
                        name = name.substring(1);
                    }
                    if (!GENERAL_CATEGORIES.contains(name) && !name.startsWith("Is") && !name.startsWith("In")) {
                        name = "Is" + name;
                    }
                    out.append('\\').append(negate ? 'P' : 'p').append('{').append(name).append('}');
                    i = close + 1;
                } else {
                    out.append(c).append(e);
                    i += 2;
                }
            } else if (c == '[') {
                classDepth++;
                out.append(c);
                i++;
                // A ']' right after '[' or '[^' is a literal in both dialects; copy it so it does not close the class.
                if (i < n && p.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < n && p.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
            } else if (c == ']' && classDepth > 0) {
                classDepth--;
                out.append(c);
                i++;
            } else if (c == '(' && classDepth == 0 && i + 1 < n && p.charAt(i + 1) == '?') {
                // Inline options: Ruby's m is Java's s (dot matches newline).
                int j = i + 2;
                StringBuilder flags = new StringBuilder();
                while (j < n && "imx-".indexOf(p.charAt(j)) >= 0) {
                    flags.append(p.charAt(j) == 'm' ? 's' : p.charAt(j));
                    j++;
                }
                if (!flags.isEmpty() && j < n && (p.charAt(j) == ':' || p.charAt(j) == ')')) {
                    out.append("(?").append(flags);
                    i = j;
                } else {
                    out.append("(?");
                    i += 2;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
