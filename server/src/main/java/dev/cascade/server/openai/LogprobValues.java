package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import com.fasterxml.jackson.databind.JsonNode;

/** How single logprob values and token bytes look in JSON. */
final class LogprobValues {
    /** vLLM's floor: JSON has no -Infinity, and clients parse this as "impossible" well enough. */
    static final float FLOOR = -9999f;

    private LogprobValues() {
    }

    /**
     * A plain JSON number in [FLOOR, 0]: -infinity and NaN become the floor, so that a response always
     * parses; anything above 0 is float rounding of a certain token, so 0.
     */
    static float clamp(float logprob) {
        return !(logprob >= FLOOR) ? FLOOR : Math.min(logprob, 0f);
    }

    // written as a float, not widened to a double, so -0.1f prints as -0.1 rather than -0.10000000149011612
    static ValueNode number(float logprob) {
        return JsonNodeFactory.instance.numberNode(clamp(logprob));
    }

    /** OpenAI's bytes: the UTF-8 bytes as integers 0..255, or null. */
    static JsonNode bytes(byte[] bytes) {
        if (bytes == null) {
            return NullNode.instance;
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode(bytes.length);
        for (byte b : bytes) {
            array.add(b & 0xFF);
        }
        return array;
    }
}
