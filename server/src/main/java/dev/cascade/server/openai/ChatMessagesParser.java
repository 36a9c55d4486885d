package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.weights.chat.ChatMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Chat's messages, turned into what a chat template reads. */
final class ChatMessagesParser {
    static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer", "tool");

    private ChatMessagesParser() {
    }

    static List<ChatMessage> parse(Fields f) {
        JsonNode node = f.get("messages");
        if (node == null) {
            throw ApiException.badRequest("messages", "you must provide a messages parameter");
        }
        if (!node.isArray()) {
            throw f.wrongType("messages", "a list of messages", node);
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("messages", "messages must not be empty");
        }
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            messages.add(message(node.get(i), "messages[" + i + "]"));
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, String where) {
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest(where, where + " must be an object, got " + JsonBody.kind(node));
        }
        Fields m = new Fields(object, where + ".");
        String role = m.requiredString("role");
        if (!ROLES.contains(role)) {
            throw ApiException.badRequest(m.param("role"), m.param("role") + " must be one of "
                    + "system, user, assistant, developer, tool, got '" + role + "'");
        }
        JsonNode contentNode = m.get("content");
        String content;
        if (contentNode != null) {
            content = ChatContent.read(contentNode, m.param("content"));
        } else if (role.equals("assistant")) {
            // an assistant turn that only called tools
            content = null;
        } else {
            throw ApiException.badRequest(m.param("content"), m.param("content") + " is required for role " + role);
        }
        return new ChatMessage(templateRole(role), content, extraFields(m));
    }

    // OpenAI's developer role is the system prompt under a new name, and chat templates only know "system"
    private static String templateRole(String role) {
        return role.equals("developer") ? "system" : role;
    }

    // the fields templates render besides role and content; tool_calls goes through as plain lists and maps
    private static Map<String, Object> extraFields(Fields m) {
        Map<String, Object> fields = new LinkedHashMap<>();
        putIfPresent(fields, "name", m.string("name"));
        putIfPresent(fields, "tool_call_id", m.string("tool_call_id"));
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null) {
            if (!toolCalls.isArray()) {
                throw m.wrongType("tool_calls", "a list", toolCalls);
            }
            fields.put("tool_calls", Json.MAPPER.convertValue(toolCalls, List.class));
        }
        return fields;
    }

    private static void putIfPresent(Map<String, Object> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
