package dev.cascade.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A /metrics scrape read back: each sample line {@code name{labels} value} by its series, and
 * each metric's TYPE.
 */
record Prometheus(Map<String, Double> samples, Map<String, String> types) {

    static Prometheus parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new Prometheus(samples, types);
    }

    /** A series' value; fails when the scrape does not have it. */
    double get(String series) {
        Double v = samples.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in " + samples.keySet());
        }
        return v;
    }
}
