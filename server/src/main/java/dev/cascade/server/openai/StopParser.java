package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** OpenAI's stop: one string or a list of up to four. */
final class StopParser {
    static final int MAX_STOP = 4;

    private StopParser() {
    }

    static List<String> parse(Fields f) {
        JsonNode node = f.get("stop");
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(nonEmpty(f, node.textValue()));
        }
        if (!node.isArray()) {
            throw f.wrongType("stop", "a string or a list of strings", node);
        }
        if (node.size() > MAX_STOP) {
            throw ApiException.badRequest(f.param("stop"),
                    f.param("stop") + " may list at most " + MAX_STOP + " sequences, got " + node.size());
        }
        List<String> stop = new ArrayList<>(node.size());
        for (JsonNode entry : node) {
            if (!entry.isTextual()) {
                throw f.wrongType("stop", "a string or a list of strings", entry);
            }
            stop.add(nonEmpty(f, entry.textValue()));
        }
        return stop;
    }

    // an empty stop string would match at once and end every choice before its first token
    private static String nonEmpty(Fields f, String s) {
        if (s.isEmpty()) {
            throw ApiException.badRequest(f.param("stop"), f.param("stop") + " must not contain empty strings");
        }
        return s;
    }
}
