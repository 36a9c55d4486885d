package dev.cascade.weights.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of a conversation as chat templates see it: a dict with {@code role} and
 * {@code content}, plus whatever else the caller adds ({@code tool_calls}, {@code reasoning_content},
 * {@code name}, {@code tool_call_id}...). Content is usually a String; it may be null (an assistant
 * message with only tool calls) or a list of parts for multimodal templates.
 */
public record ChatMessage(String role, Object content, Map<String, Object> fields) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        fields = Map.copyOf(fields);
        if (fields.containsKey("role") || fields.containsKey("content")) {
            throw new IllegalArgumentException("role and content are not extra fields");
        }
    }

    public static ChatMessage of(String role, Object content) {
        return new ChatMessage(role, content, Map.of());
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    /** This message with one more field, e.g. {@code with("tool_calls", List.of(...))}. */
    public ChatMessage with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(fields);
        more.put(name, value);
        return new ChatMessage(role, content, more);
    }

    /** The dict a template sees, role and content first. Content is left out when null, as a missing key. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role);
        map.put("content", content);
        map.putAll(fields);
        return map;
    }

    /** A message from a JSON-like map with a "role" key; everything but role and content becomes a field. */
    public static ChatMessage fromMap(Map<String, ?> map) {
        Object role = map.get("role");
        if (!(role instanceof String r)) {
            throw new IllegalArgumentException("a chat message needs a string role, got " + role);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!k.equals("role") && !k.equals("content") && v != null) {
                fields.put(k, v);
            }
        });
        return new ChatMessage(r, map.get("content"), fields);
    }
}
