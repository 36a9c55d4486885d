package dev.cascade.server.config;

import java.util.Locale;

/** Sizes as people write them: 512m, 2g, 1.5GiB, 4096 (bytes). Powers of 1024. */
public final class ByteSize {
    private ByteSize() {
    }

    public static long parse(String text, String what) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String number = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            double v = Double.parseDouble(number.trim());
            if (!(v > 0) || Double.isInfinite(v) || v * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a size (examples: 512m, 2g, 1048576)");
        }
    }
}
