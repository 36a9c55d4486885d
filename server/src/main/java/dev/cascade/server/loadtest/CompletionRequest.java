package dev.cascade.server.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every request of a load test asks for; only the prompt changes from one request to the next.
 *
 * @param ignoreEos ask the server to generate all {@code maxTokens} tokens, so each request does the same work
 *                  whatever the model would have said (vLLM, llama.cpp and cascade accept it)
 */
public record CompletionRequest(String model, boolean chat, int maxTokens, double temperature, boolean ignoreEos) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The path under /v1. */
    public String path() {
        return chat ? "chat/completions" : "completions";
    }

    public String body(String prompt) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model);
        if (chat) {
            ObjectNode message = o.putArray("messages").addObject();
            message.put("role", "user");
            message.put("content", prompt);
        } else {
            o.put("prompt", prompt);
        }
        o.put("max_tokens", maxTokens);
        o.put("temperature", temperature);
        o.put("stream", true);
        // without it the stream has no token count and tokens would have to be counted by chunk
        o.putObject("stream_options").put("include_usage", true);
        if (ignoreEos) {
            // left out rather than sent as false: the OpenAI API itself rejects parameters it does not know
            o.put("ignore_eos", true);
        }
        return o.toString();
    }
}
