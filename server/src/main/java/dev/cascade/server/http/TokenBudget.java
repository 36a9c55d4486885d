package dev.cascade.server.http;

import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.Generation;

/** How many tokens a request may generate on one model, the same for plain models and cascade stages. */
final class TokenBudget {
    private TokenBudget() {
    }

    /**
     * max_tokens cut to what the context leaves; when the client gave none, OpenAI's 16 for
     * completions and the rest of the context for chat. A prompt that leaves no room is a 400.
     */
    static int maxTokens(Generation generation, boolean chat, int promptTokens, int context, String promptParam) {
        if (promptTokens == 0) {
            throw ApiException.badRequest(promptParam, "The prompt encodes to no tokens.");
        }
        if (promptTokens >= context) {
            throw ApiException.badRequest(promptParam, "This model's maximum context length is " + context
                    + " tokens; the prompt has " + promptTokens + " tokens, and at least one must be left for the completion.");
        }
        int room = context - promptTokens;
        Integer asked = generation.maxTokens();
        return asked == null ? (chat ? room : Math.min(16, room)) : Math.min(asked, room);
    }
}
