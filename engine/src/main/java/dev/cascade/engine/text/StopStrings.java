package dev.cascade.engine.text;

import java.util.List;

/**
 * Watches generated text for stop strings. Text that could be the start of a stop string is held
 * back until it is clear either way, so the client never sees part of a stop string, and the text
 * returned stops right before the first one (OpenAI's behaviour: the stop string is not included).
 */
public final class StopStrings {
    private final List<String> stops;
    private final int longest;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    public StopStrings(List<String> stops) {
        for (String s : stops) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string may not be empty");
            }
        }
        this.stops = List.copyOf(stops);
        int max = 0;
        for (String s : stops) {
            max = Math.max(max, s.length());
        }
        this.longest = max;
    }

    /** Adds text; returns what may be shown now. After a stop string is seen, returns "" forever. */
    public String append(String text) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        held.append(text);
        int first = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        if (first >= 0) {
            stopped = true;
            String out = held.substring(0, first);
            held.setLength(0);
            return out;
        }
        int keep = possibleStart();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** True once a stop string has appeared. */
    public boolean stopped() {
        return stopped;
    }

    /** The text held back, for when generation ends for another reason. */
    public String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    /** The length of the longest suffix of the held text that some stop string starts with. */
    private int possibleStart() {
        int max = Math.min(longest - 1, held.length());
        for (int len = max; len > 0; len--) {
            int from = held.length() - len;
            for (String s : stops) {
                if (s.length() > len && startsWithTail(s, from, len)) {
                    return len;
                }
            }
        }
        return 0;
    }

    private boolean startsWithTail(String stop, int from, int len) {
        for (int i = 0; i < len; i++) {
            if (held.charAt(from + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
