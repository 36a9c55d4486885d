package dev.cascade.server.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Locale;

/** Reads a request body into a JSON object, or says in a 400 why it is not one. */
final class JsonBody {
    // trailing garbage after the object is as malformed as a missing brace
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    static ObjectNode parse(byte[] body) {
        JsonNode tree;
        try {
            tree = body == null || body.length == 0 ? null : READER.readTree(body);
        } catch (IOException e) {
            throw notJson(shortReason(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw notJson("the body is empty");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw ApiException.badRequest(null, "The request body must be a JSON object, got " + kind(tree) + ".");
        }
        return object;
    }

    private static ApiException notJson(String reason) {
        return ApiException.badRequest(null,
                "We could not parse the JSON body of your request (" + reason + "). "
                        + "The API expects a JSON object in the request body.");
    }

    // Jackson's message without its source excerpt, which would echo the client's body back at length
    private static String shortReason(IOException e) {
        String message = e instanceof JacksonException je
                ? je.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "invalid JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }
}
