package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** /v1/completions' prompt: a string or a batch of strings. Token-id prompts are refused, not guessed at. */
final class PromptParser {
    private PromptParser() {
    }

    static List<String> parse(Fields f, Limits limits) {
        JsonNode node = f.get("prompt");
        if (node == null) {
            throw ApiException.badRequest("prompt", "you must provide a prompt parameter");
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw f.wrongType("prompt", "a string or a list of strings", node);
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest("prompt", "prompt must not be an empty list");
        }
        if (node.size() > limits.maxPrompts()) {
            throw ApiException.badRequest("prompt",
                    "prompt may list at most " + limits.maxPrompts() + " prompts, got " + node.size());
        }
        List<String> prompts = new ArrayList<>(node.size());
        for (JsonNode entry : node) {
            if (entry.isNumber() || entry.isArray()) {
                // [1, 2, 3] or [[1, 2], [3]]: OpenAI's token-id forms, which would need the server's tokenizer
                throw ApiException.badRequest("prompt",
                        "prompt as token ids is not supported; send the prompt as text");
            }
            if (!entry.isTextual()) {
                throw f.wrongType("prompt", "a string or a list of strings", entry);
            }
            prompts.add(entry.textValue());
        }
        return prompts;
    }
}
