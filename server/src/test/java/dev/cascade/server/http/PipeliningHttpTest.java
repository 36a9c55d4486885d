package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests sent back to back on one connection, without waiting (HTTP/1.1 pipelining), are
 * answered in the order they came, even when a later one would finish first.
 */
class PipeliningHttpTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void responsesComeInRequestOrder() throws IOException {
        try (RawHttp raw = new RawHttp(server.port)) {
            raw.write(RawHttp.request("POST", "/v1/completions", Api.json(completion(",'ignore_eos':true,'max_tokens':30")))
                    + RawHttp.request("POST", "/v1/completions", Api.json(completion(",'max_tokens':1")))
                    + RawHttp.request("GET", "/v1/models/nope", "")
                    + RawHttp.request("GET", "/health", ""));
            assertEquals(30, completionTokens(raw.response()));
            assertEquals(1, completionTokens(raw.response()));
            assertEquals(404, RawHttp.status(raw.response()));
            assertEquals("{\"status\":\"ok\"}", RawHttp.body(raw.response()));
        }
    }

    @Test
    void aStreamIsNotInterleavedWithTheNextResponse() throws IOException {
        try (RawHttp raw = new RawHttp(server.port)) {
            raw.write(RawHttp.request("POST", "/v1/chat/completions",
                    Api.json(chat(",'ignore_eos':true,'max_tokens':20,'stream':true")))
                    + RawHttp.request("POST", "/v1/chat/completions", Api.json(chat(",'max_tokens':1"))));
            String stream = raw.response();
            assertEquals(200, RawHttp.status(stream));
            SseReply events = SseReply.of(new Reply(200, java.net.http.HttpHeaders.of(
                    java.util.Map.of("content-type", java.util.List.of("text/event-stream")), (a, b) -> true),
                    RawHttp.body(stream)));
            assertEquals("length", events.finishReason(0));
            assertTrue(events.text(0).startsWith(" 85"), events.text(0));
            assertEquals(1, completionTokens(raw.response()));
        }
    }

    private static int completionTokens(String response) {
        assertEquals(200, RawHttp.status(response), response);
        JsonNode usage = Reply.parse(RawHttp.body(response)).get("usage");
        return usage.get("completion_tokens").intValue();
    }
}
