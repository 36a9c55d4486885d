package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The legacy completions logprobs object: parallel lists tokens, token_logprobs, top_logprobs (one
 * {token: logprob} map per position) and text_offset.
 */
final class CompletionLogprobsJson {
    private CompletionLogprobsJson() {
    }

    /**
     * @param textOffset where the first token starts in the choice's text: 0 for a whole response, the
     *                   length of the text already streamed for a chunk
     */
    static JsonNode of(List<TokenLogprob> tokens, int textOffset) {
        if (tokens == null) {
            return NullNode.instance;
        }
        ObjectNode logprobs = Json.object();
        ArrayNode tokenTexts = logprobs.putArray("tokens");
        ArrayNode tokenLogprobs = logprobs.putArray("token_logprobs");
        ArrayNode topLogprobs = logprobs.putArray("top_logprobs");
        ArrayNode offsets = logprobs.putArray("text_offset");
        int offset = textOffset;
        for (TokenLogprob t : tokens) {
            tokenTexts.add(t.token());
            tokenLogprobs.add(LogprobValues.number(t.logprob()));
            topLogprobs.add(topMap(t));
            offsets.add(offset);
            offset += Offsets.length(t.token());
        }
        return logprobs;
    }

    // OpenAI documents up to logprobs + 1 entries: the chosen token is always there, alternatives or not
    private static ObjectNode topMap(TokenLogprob t) {
        ObjectNode map = Json.object();
        for (TopLogprob alt : t.top()) {
            map.set(alt.token(), LogprobValues.number(alt.logprob()));
        }
        if (!map.has(t.token())) {
            map.set(t.token(), LogprobValues.number(t.logprob()));
        }
        return map;
    }
}
