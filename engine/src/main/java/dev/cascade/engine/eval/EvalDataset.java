package dev.cascade.engine.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an evaluation set: one JSON object per line with {@code prompt}, {@code answer},
 * {@code difficulty} and {@code checker} (default {@code exact}), and optionally {@code id}.
 */
public final class EvalDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalDataset() {
    }

    public static List<EvalItem> read(Path file) throws IOException {
        List<EvalItem> items = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                items.add(parse(file, lineNo, line));
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(file + ": no items");
        }
        return items;
    }

    private static EvalItem parse(Path file, int lineNo, String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        String prompt = text(o, "prompt", file, lineNo);
        String answer = text(o, "answer", file, lineNo);
        String difficulty = o.hasNonNull("difficulty") ? o.get("difficulty").asText() : "all";
        String checker = o.hasNonNull("checker") ? o.get("checker").asText() : "exact";
        try {
            Checkers.requireKnown(checker);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage());
        }
        int id = o.hasNonNull("id") ? o.get("id").asInt() : lineNo - 1;
        return new EvalItem(id, prompt, answer, difficulty, checker);
    }

    private static String text(JsonNode o, String field, Path file, int lineNo) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(file + " line " + lineNo + ": needs a string field '" + field + "'");
        }
        return v.asText();
    }
}
