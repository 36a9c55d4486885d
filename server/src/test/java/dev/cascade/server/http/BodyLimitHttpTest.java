package dev.cascade.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static dev.cascade.server.http.BadRequestHttpTest.assertError;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A body over the configured limit gets 413 in OpenAI's error shape, whether its length is declared or chunked. */
class BodyLimitHttpTest {
    private static final int LIMIT = 1024;
    private static final String TOO_LARGE = "The request body is larger than the limit of 1024 bytes.";

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.Setup.DEFAULT.withBodyLimit(LIMIT));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stillServes() {
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0));
    }

    @Test
    void overTheLimit() {
        Reply r = api.postRaw("/v1/completions", padded(LIMIT + 1));
        assertError(r, 413, "invalid_request_error", null, "request_too_large", TOO_LARGE);
        assertEquals("keep-alive", r.header("connection"));
    }

    /**
     * The server reads and drops the rest of the body rather than closing on a client still
     * sending, which would reset the connection before the client could read the 413.
     */
    @RepeatedTest(3)
    void farOverTheLimit() {
        assertError(api.postRaw("/v1/chat/completions", padded(4 << 20)), 413, "invalid_request_error", null,
                "request_too_large", TOO_LARGE);
    }

    /** After a 413 the connection goes on; pipelined, the 413 comes in its turn. */
    @Test
    void theConnectionServesOnInOrder() throws IOException {
        try (RawHttp raw = new RawHttp(server.port)) {
            raw.write(RawHttp.request("POST", "/v1/completions", Api.json(completion(",'ignore_eos':true,'max_tokens':30")))
                    + RawHttp.request("POST", "/v1/completions", padded(8 * LIMIT))
                    + RawHttp.request("POST", "/v1/completions", padded(LIMIT)));
            String first = raw.response();
            assertEquals(200, RawHttp.status(first), first);
            assertEquals(30, Reply.parse(RawHttp.body(first)).get("usage").get("completion_tokens").intValue());
            String tooLarge = raw.response();
            assertEquals(413, RawHttp.status(tooLarge), tooLarge);
            assertEquals(TOO_LARGE, Reply.parse(RawHttp.body(tooLarge)).get("error").get("message").textValue());
            String last = raw.response();
            assertEquals(200, RawHttp.status(last), last);
            assertEquals(" 85", Reply.parse(RawHttp.body(last)).get("choices").get(0).get("text").textValue());
        }
    }

    /** Without a Content-Length the limit is found while reading. */
    @Test
    void chunkedOverTheLimit() {
        byte[] body = padded(64 * LIMIT).getBytes(StandardCharsets.UTF_8);
        Reply r = api.send(api.request("/v1/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertError(r, 413, "invalid_request_error", null, "request_too_large", TOO_LARGE);
    }

    @Test
    void exactlyTheLimitIsServed() {
        assertEquals(" 85", text(api.postRaw("/v1/completions", padded(LIMIT)).ok(), 0));
    }

    /** A valid greedy completion body of exactly {@code bytes} bytes, padded with spaces inside the object. */
    private static String padded(int bytes) {
        String body = Api.json(completion(""));
        return body.substring(0, body.length() - 1) + " ".repeat(bytes - body.length()) + "}";
    }
}
