package dev.cascade.server.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper of the protocol layer; thread-safe once configured, and costly to make. */
final class Json {
    // emoji as their 4 UTF-8 bytes rather than two escaped surrogates: shorter, and readable in logs
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Compact UTF-8, what ObjectMapper writes by default. */
    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // a tree of plain nodes always serializes; failing here is a bug, not a client error
            throw new IllegalStateException("could not write JSON", e);
        }
    }
}
