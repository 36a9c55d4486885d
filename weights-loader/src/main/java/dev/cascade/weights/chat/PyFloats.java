package dev.cascade.weights.chat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python's float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else 1e+16 style. */
final class PyFloats {
    private PyFloats() {
    }

    static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (Double.doubleToRawLongBits(x) < 0) ? "-0.0" : "0.0";
        }
        String sign = x < 0 ? "-" : "";
        // Double.toString gives the shortest digits that round-trip (JDK 19+), as Python's repr does.
        BigDecimal exact = shortest(Math.abs(x));
        String digits = exact.unscaledValue().toString();
        int decimalPoint = digits.length() - exact.scale(); // value = 0.DIGITS * 10^decimalPoint
        if (decimalPoint > -4 && decimalPoint <= 16) {
            if (decimalPoint <= 0) {
                return sign + "0." + "0".repeat(-decimalPoint) + digits;
            }
            if (decimalPoint >= digits.length()) {
                return sign + digits + "0".repeat(decimalPoint - digits.length()) + ".0";
            }
            return sign + digits.substring(0, decimalPoint) + "." + digits.substring(decimalPoint);
        }
        int exponent = decimalPoint - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exponentDigits = String.valueOf(Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exponentDigits.length() < 2 ? "0" : "") + exponentDigits;
    }

    /**
     * The shortest decimal that reads back as {@code x}, the closest such if several. Double.toString
     * gives that, except that it never uses fewer than two digits (5e-324 comes out as 4.9E-324);
     * so a two-digit result is checked against its one-digit neighbours.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal javas = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        if (javas.precision() != 2) {
            return javas;
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = javas.round(new MathContext(1, mode));
            if (Double.parseDouble(candidate.toString()) == x
                    && (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = candidate;
            }
        }
        return best != null ? best.stripTrailingZeros() : javas;
    }
}
