package dev.cascade.server.loadtest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one streamed JSON chunk says: the text it adds, the server's generated-token count when it carries usage,
 * whether a choice finished, and an error when the server reports one inside the stream.
 *
 * @param text             the text delta, empty when the chunk adds none
 * @param completionTokens usage.completion_tokens, or -1 when the chunk carries no usage
 * @param finished         a choice has a finish_reason
 * @param error            the server's error message, or null
 */
public record StreamChunk(String text, int completionTokens, boolean finished, String error) {

    /** Reads both shapes: {@code choices[].text} (completions) and {@code choices[].delta.content} (chat). */
    public static StreamChunk parse(JsonNode chunk) {
        String error = errorMessage(chunk);
        if (error != null) {
            return new StreamChunk("", -1, false, error);
        }
        StringBuilder text = new StringBuilder();
        boolean finished = false;
        for (JsonNode choice : chunk.path("choices")) {
            text.append(choice.path("text").asText(""));
            JsonNode delta = choice.path("delta");
            text.append(delta.path("content").asText(""));
            // reasoning models stream their thinking apart from the answer; those are generated tokens all the same
            text.append(delta.path("reasoning_content").asText(""));
            text.append(delta.path("reasoning").asText(""));
            JsonNode reason = choice.path("finish_reason");
            finished |= !reason.isMissingNode() && !reason.isNull();
        }
        JsonNode tokens = chunk.path("usage").path("completion_tokens");
        return new StreamChunk(text.toString(), tokens.isNumber() ? tokens.asInt() : -1, finished, null);
    }

    /** The message of {@code {"error": {...}}} or {@code {"error": "..."}} (most servers) or {@code {"object": "error"}} (older vLLM). */
    static String errorMessage(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        if (error.isObject()) {
            return error.path("message").isTextual() ? error.path("message").asText() : error.toString();
        }
        if ("error".equals(node.path("object").asText()) && node.path("message").isTextual()) {
            return node.path("message").asText();
        }
        return null;
    }
}
