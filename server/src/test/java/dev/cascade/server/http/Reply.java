package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** One whole HTTP response. */
record Reply(int status, HttpHeaders headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    JsonNode json() {
        return parse(body);
    }

    /** The body of a 200 response as JSON; any other status fails with the body in the message. */
    JsonNode ok() {
        if (status != 200) {
            throw new AssertionError("expected 200, got " + this);
        }
        return json();
    }

    /** The OpenAI error object of an error response. */
    JsonNode error() {
        return json().get("error");
    }

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
