package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on response shapes shared by the endpoint tests. */
final class Shapes {
    private Shapes() {
    }

    /** An object's field names in order: a shape check that also catches extra fields. */
    static List<String> fields(JsonNode object) {
        return object.propertyStream().map(e -> e.getKey()).toList();
    }

    static void assertUsage(JsonNode usage, int prompt, int completion) {
        assertEquals(List.of("prompt_tokens", "completion_tokens", "total_tokens"), fields(usage));
        assertEquals(prompt, usage.get("prompt_tokens").intValue(), usage.toString());
        assertEquals(completion, usage.get("completion_tokens").intValue(), usage.toString());
        assertEquals(prompt + completion, usage.get("total_tokens").intValue(), usage.toString());
    }

    /** The text of a completions choice, or the message content of a chat choice. */
    static String text(JsonNode root, int choice) {
        JsonNode c = root.get("choices").get(choice);
        return c.has("message") ? c.get("message").get("content").textValue() : c.get("text").textValue();
    }

    static String finishReason(JsonNode root, int choice) {
        return root.get("choices").get(choice).get("finish_reason").textValue();
    }
}
