package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A streamed response split into its server-sent events. Each event must be exactly one
 * {@code data: ...} line followed by a blank line, and the last one {@code data: [DONE]};
 * {@link #of} fails on anything else, so every streaming test checks the framing too.
 */
record SseReply(Reply reply, List<JsonNode> chunks) {

    static SseReply of(Reply reply) {
        if (reply.status() != 200) {
            throw new AssertionError("expected a stream, got " + reply);
        }
        String contentType = reply.header("content-type");
        if (contentType == null || !contentType.startsWith("text/event-stream")) {
            throw new AssertionError("content-type " + contentType);
        }
        String body = reply.body();
        if (!body.endsWith("\n\n")) {
            throw new AssertionError("the stream does not end with a blank line: " + body);
        }
        String[] events = body.substring(0, body.length() - 2).split("\n\n", -1);
        if (!events[events.length - 1].equals("data: [DONE]")) {
            throw new AssertionError("the last event is not data: [DONE]: " + body);
        }
        List<JsonNode> chunks = new ArrayList<>();
        for (int i = 0; i < events.length - 1; i++) {
            String e = events[i];
            if (!e.startsWith("data: ") || e.indexOf('\n') >= 0 || e.equals("data: [DONE]")) {
                throw new AssertionError("event " + i + " is not one data line: " + e);
            }
            chunks.add(Reply.parse(e.substring("data: ".length())));
        }
        return new SseReply(reply, List.copyOf(chunks));
    }

    /** The chunks that carry choices (all but an include_usage chunk). */
    List<JsonNode> choiceChunks() {
        return chunks.stream().filter(c -> !c.get("choices").isEmpty()).toList();
    }

    /** Everything streamed for one choice, concatenated: completions' text or chat's delta content. */
    String text(int index) {
        StringBuilder text = new StringBuilder();
        for (JsonNode c : choiceChunks()) {
            JsonNode choice = c.get("choices").get(0);
            if (choice.get("index").intValue() != index) {
                continue;
            }
            JsonNode piece = choice.has("delta") ? choice.get("delta").get("content") : choice.get("text");
            if (piece != null && !piece.isNull()) {
                text.append(piece.textValue());
            }
        }
        return text.toString();
    }

    /** The one finish_reason a choice's chunks carry (only its last chunk has one). */
    String finishReason(int index) {
        String reason = null;
        for (JsonNode c : choiceChunks()) {
            JsonNode choice = c.get("choices").get(0);
            if (choice.get("index").intValue() == index && !choice.get("finish_reason").isNull()) {
                if (reason != null) {
                    throw new AssertionError("choice " + index + " finished twice");
                }
                reason = choice.get("finish_reason").textValue();
            }
        }
        return reason;
    }
}
