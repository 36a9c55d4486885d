package dev.cascade.engine.eval;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The ways an evaluation item's completion can be judged. {@code exact} compares the texts with
 * surrounding whitespace trimmed; {@code number} compares the first number in the completion with
 * the answer as numbers (so "042" and "42.0" match 42); {@code prefix} accepts a completion that
 * starts with the answer; {@code contains} one that contains it anywhere.
 */
public final class Checkers {
    public static final List<String> NAMES = List.of("exact", "number", "prefix", "contains");

    private Checkers() {
    }

    public static void requireKnown(String checker) {
        if (!NAMES.contains(checker.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown checker '" + checker + "'; known: " + String.join(", ", NAMES));
        }
    }

    public static boolean check(String checker, String completion, String answer) {
        String got = completion.strip();
        String want = answer.strip();
        return switch (checker.toLowerCase(Locale.ROOT)) {
            case "exact" -> got.equals(want);
            case "prefix" -> got.startsWith(want);
            case "contains" -> got.contains(want);
            case "number" -> sameNumber(got, want);
            default -> throw new IllegalArgumentException("unknown checker '" + checker + "'");
        };
    }

    private static boolean sameNumber(String got, String want) {
        BigDecimal expected = firstNumber(want);
        BigDecimal actual = firstNumber(got);
        return expected != null && actual != null && expected.compareTo(actual) == 0;
    }

    /** The first run of digits (with an optional sign and decimal part) in the text. */
    static BigDecimal firstNumber(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?").matcher(s.replace(",", ""));
        return m.find() ? new BigDecimal(m.group()) : null;
    }
}
