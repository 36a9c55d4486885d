package dev.cascade.server.config;

import java.time.Duration;

/** Durations as people write them: 30s, 2m, 500ms, 10 (seconds). */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text, String what) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a duration (examples: 30s, 2m, 500ms)");
        }
    }
}
