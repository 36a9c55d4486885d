package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * OpenAI response bodies as compact UTF-8 JSON. Streaming chunks are single JSON objects; the server
 * frames each as {@code data: <json>\n\n} and ends the stream with {@code data: [DONE]\n\n}.
 */
public final class OpenAiResponses {
    private OpenAiResponses() {
    }

    /** Makes response ids, cmpl-… and chatcmpl-…. */
    public static ResponseIds ids() {
        return ResponseIds.INSTANCE;
    }

    /** A whole /v1/completions response. */
    public static byte[] completion(String id, long created, String model, List<ChoiceOutput> choices,
                                    Usage usage) {
        ObjectNode root = header(id, "text_completion", created, model);
        ArrayNode array = root.putArray("choices");
        for (ChoiceOutput c : choices) {
            array.add(completionChoice(c, 0));
        }
        root.set("usage", usage(usage));
        return Json.bytes(root);
    }

    /** A whole /v1/chat/completions response. */
    public static byte[] chatCompletion(String id, long created, String model, List<ChoiceOutput> choices,
                                        Usage usage) {
        ObjectNode root = header(id, "chat.completion", created, model);
        ArrayNode array = root.putArray("choices");
        for (ChoiceOutput c : choices) {
            ObjectNode choice = array.addObject();
            choice.put("index", c.index());
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", c.text());
            choice.set("logprobs", ChatLogprobsJson.of(c.logprobs()));
            choice.put("finish_reason", c.finishReason());
        }
        root.set("usage", usage(usage));
        return Json.bytes(root);
    }

    /** A streamed completions chunk whose logprobs' text_offset starts at 0; see the overload. */
    public static byte[] completionChunk(String id, long created, String model, ChoiceOutput delta) {
        return completionChunk(id, created, model, delta, 0);
    }

    /**
     * A streamed completions chunk: one choice with the new text, its tokens' logprobs and, in its last
     * chunk, the finish reason.
     *
     * @param textOffset how much of this choice's text earlier chunks sent, in {@link Offsets#length}
     *                   units, so that text_offset counts from the start of the whole text
     */
    public static byte[] completionChunk(String id, long created, String model, ChoiceOutput delta,
                                         int textOffset) {
        ObjectNode root = header(id, "text_completion", created, model);
        root.putArray("choices").add(completionChoice(delta, textOffset));
        return Json.bytes(root);
    }

    /**
     * A streamed chat chunk.
     *
     * @param role         "assistant" in a choice's first chunk, else null and left out of the delta
     * @param contentDelta the new text, or null to leave content out (the final chunk's delta is {})
     * @param logprobs     the new tokens' logprobs, or null when not asked
     * @param finishReason null until the choice's last chunk
     */
    public static byte[] chatChunk(String id, long created, String model, int index, String role,
                                   String contentDelta, List<TokenLogprob> logprobs, String finishReason) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", index);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (contentDelta != null) {
            delta.put("content", contentDelta);
        }
        choice.set("logprobs", ChatLogprobsJson.of(logprobs));
        choice.put("finish_reason", finishReason);
        return Json.bytes(root);
    }

    /**
     * The last chunk of a stream whose request set stream_options.include_usage: no choices, the usage of
     * the whole request. Other chunks carry no usage field at all.
     */
    public static byte[] usageChunk(String id, long created, String model, boolean chat, Usage usage) {
        ObjectNode root = header(id, chat ? "chat.completion.chunk" : "text_completion", created, model);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return Json.bytes(root);
    }

    /** /v1/models. */
    public static byte[] models(List<ModelEntry> models) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ModelEntry m : models) {
            fill(data.addObject(), m);
        }
        return Json.bytes(root);
    }

    /** /v1/models/{id}: one model object. */
    public static byte[] model(ModelEntry m) {
        return Json.bytes(fill(Json.object(), m));
    }

    private static ObjectNode fill(ObjectNode entry, ModelEntry m) {
        entry.put("id", m.id());
        entry.put("object", "model");
        entry.put("created", m.created());
        entry.put("owned_by", m.ownedBy() == null ? "cascade" : m.ownedBy());
        if (m.maxModelLen() != null) {
            entry.put("max_model_len", m.maxModelLen());
        }
        return entry;
    }

    /** An error body, {"error": {message, type, param, code}} with absent values as JSON null. */
    public static byte[] error(ApiException e) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return Json.bytes(root);
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static ObjectNode completionChoice(ChoiceOutput c, int textOffset) {
        ObjectNode choice = Json.object();
        choice.put("index", c.index());
        choice.put("text", c.text());
        choice.set("logprobs", CompletionLogprobsJson.of(c.logprobs(), textOffset));
        choice.put("finish_reason", c.finishReason());
        return choice;
    }

    private static ObjectNode usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("prompt_tokens", usage.promptTokens());
        node.put("completion_tokens", usage.completionTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }
}
