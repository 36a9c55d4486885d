package dev.cascade.server.openai;

import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.weights.chat.ChatMessage;

import java.util.List;

/**
 * Parses OpenAI request bodies into records the server hands to the engine. Every problem is an
 * {@link ApiException} (400, invalid_request_error, naming the field); unknown fields are ignored,
 * as vLLM does, so that clients sending newer OpenAI options still work.
 */
public final class OpenAiRequests {
    private OpenAiRequests() {
    }

    /** A /v1/completions body. */
    public static CompletionRequest parseCompletion(byte[] body, Limits limits) {
        Fields f = new Fields(JsonBody.parse(body), "");
        String model = f.requiredString("model");
        List<String> prompts = PromptParser.parse(f, limits);
        Integer maxTokens = GenerationParser.maxTokens(f, "max_tokens");
        Generation generation = GenerationParser.parse(f, limits, maxTokens, CompletionOnlyFields.logprobs(f));
        CompletionOnlyFields.rejectUnsupported(f, generation.n());
        return new CompletionRequest(model, prompts, generation);
    }

    /** A /v1/chat/completions body. */
    public static ChatRequest parseChat(byte[] body, Limits limits) {
        Fields f = new Fields(JsonBody.parse(body), "");
        String model = f.requiredString("model");
        List<ChatMessage> messages = ChatMessagesParser.parse(f);
        // max_tokens is deprecated for chat in favour of max_completion_tokens, which wins when both are sent
        Integer maxTokens = GenerationParser.maxTokens(f, "max_tokens");
        Integer maxCompletionTokens = GenerationParser.maxTokens(f, "max_completion_tokens");
        Generation generation = GenerationParser.parse(f, limits,
                maxCompletionTokens != null ? maxCompletionTokens : maxTokens, chatLogprobs(f));
        return new ChatRequest(model, messages, generation);
    }

    private static LogprobsMode chatLogprobs(Fields f) {
        boolean logprobs = f.bool("logprobs", false);
        Integer top = f.integer("top_logprobs", 0, SamplingParams.MAX_TOP_LOGPROBS);
        if (top != null && !logprobs) {
            throw ApiException.badRequest("top_logprobs", "top_logprobs is only allowed when logprobs is true");
        }
        if (!logprobs) {
            return LogprobsMode.NONE;
        }
        return LogprobsMode.of(top == null ? 0 : top);
    }
}
