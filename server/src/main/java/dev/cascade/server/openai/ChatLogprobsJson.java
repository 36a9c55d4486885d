package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Chat's logprobs object: {"content": [{token, logprob, bytes, top_logprobs: [...]}, ...]}. */
final class ChatLogprobsJson {
    private ChatLogprobsJson() {
    }

    static JsonNode of(List<TokenLogprob> tokens) {
        if (tokens == null) {
            return NullNode.instance;
        }
        ObjectNode logprobs = Json.object();
        ArrayNode content = logprobs.putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode entry = entry(t.token(), t.logprob(), t.bytes());
            ArrayNode top = entry.putArray("top_logprobs");
            for (TopLogprob alt : t.top()) {
                top.add(entry(alt.token(), alt.logprob(), alt.bytes()));
            }
            content.add(entry);
        }
        return logprobs;
    }

    private static ObjectNode entry(String token, float logprob, byte[] bytes) {
        ObjectNode entry = Json.object();
        entry.put("token", token);
        entry.set("logprob", LogprobValues.number(logprob));
        entry.set("bytes", LogprobValues.bytes(bytes));
        return entry;
    }
}
