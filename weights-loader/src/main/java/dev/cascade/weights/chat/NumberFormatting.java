package dev.cascade.weights.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The number conversions shared by {@code %} formatting and {@code str.format}: d, f, e, x, o, with sign handling. */
final class NumberFormatting {
    private NumberFormatting() {
    }

    /** Digits of {@code value} for conversion {@code type} without sign; precision -1 means the default. */
    static String digits(Object value, char type, int precision) {
        if (!PyValues.isNumber(value)) {
            throw new TemplateRenderException("format requires a number for '" + type + "', not " + PyValues.typeName(value));
        }
        return switch (type) {
            case 'd', 'i', 'u' -> Long.toString(Math.abs(integral(value)));
            case 'x' -> Long.toHexString(Math.abs(integral(value)));
            case 'X' -> Long.toHexString(Math.abs(integral(value))).toUpperCase();
            case 'o' -> Long.toOctalString(Math.abs(integral(value)));
            case 'f', 'F' -> fixed(Math.abs(PyValues.asDouble(value)), precision < 0 ? 6 : precision, type == 'F');
            case 'e', 'E' -> exponent(Math.abs(PyValues.asDouble(value)), precision < 0 ? 6 : precision, type == 'E');
            default -> throw new TemplateRenderException("unsupported format character '" + type + "'");
        };
    }

    static boolean negative(Object value) {
        double d = PyValues.asDouble(value);
        return d < 0 || d == 0 && Double.doubleToRawLongBits(d) < 0;
    }

    private static long integral(Object value) {
        return value instanceof Double d ? (long) d.doubleValue() : PyValues.asLong(value);
    }

    private static String fixed(double d, int precision, boolean upper) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            String s = Double.isNaN(d) ? "nan" : "inf";
            return upper ? s.toUpperCase() : s;
        }
        return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String exponent(double d, int precision, boolean upper) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            String s = Double.isNaN(d) ? "nan" : "inf";
            return upper ? s.toUpperCase() : s;
        }
        String s;
        if (d == 0) {
            s = (precision > 0 ? "0." + "0".repeat(precision) : "0") + "e+00";
        } else {
            BigDecimal exact = new BigDecimal(d);
            int exp = exact.precision() - exact.scale() - 1;
            BigDecimal mantissa = exact.movePointLeft(exp).setScale(precision, RoundingMode.HALF_EVEN);
            if (mantissa.compareTo(BigDecimal.TEN) >= 0) {
                exp++;
                mantissa = exact.movePointLeft(exp).setScale(precision, RoundingMode.HALF_EVEN);
            }
            String e = String.valueOf(Math.abs(exp));
            s = mantissa.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" : "") + e;
        }
        return upper ? s.toUpperCase() : s;
    }

    /** Pads {@code body} to {@code width}: left-aligned, right-aligned, or zero-padded after the sign. */
    static String pad(String sign, String body, int width, boolean left, boolean zeros) {
        int missing = width - sign.length() - body.codePointCount(0, body.length());
        if (missing <= 0) {
            return sign + body;
        }
        if (left) {
            return sign + body + " ".repeat(missing);
        }
        return zeros ? sign + "0".repeat(missing) + body : " ".repeat(missing) + sign + body;
    }
}
