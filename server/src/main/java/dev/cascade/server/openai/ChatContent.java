package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A chat message's content: a string, or a list of text parts joined into one string. */
final class ChatContent {
    private ChatContent() {
    }

    /** @param node content, never JSON null (the caller decides who may omit it) */
    static String read(JsonNode node, String param) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(param,
                    param + " must be a string or a list of content parts, got " + JsonBody.kind(node));
        }
        List<String> texts = new ArrayList<>(node.size());
        for (int j = 0; j < node.size(); j++) {
            texts.add(textPart(node.get(j), param, j));
        }
        // vLLM's choice: parts become lines, so two parts do not run into one word
        return String.join("\n", texts);
    }

    private static String textPart(JsonNode part, String param, int j) {
        String where = param + "[" + j + "]";
        if (!part.isObject()) {
            throw ApiException.badRequest(param, where + " must be an object, got " + JsonBody.kind(part));
        }
        JsonNode type = part.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiException.badRequest(param, where + " must have a string type");
        }
        if (!type.textValue().equals("text")) {
            throw ApiException.badRequest(param, where + " has type '" + type.textValue()
                    + "'; only text content parts are supported");
        }
        JsonNode text = part.get("text");
        if (text == null || !text.isTextual()) {
            throw ApiException.badRequest(param, where + ".text must be a string");
        }
        return text.textValue();
    }
}
