package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.cascade.server.http.Bodies.ADD_PROMPT_TOKENS;
import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.assertUsage;
import static dev.cascade.server.http.Shapes.finishReason;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Stop strings end the text just before them, with finish_reason stop, streamed or not. The greedy answer is " 85". */
class StopHttpTest {
    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "'5'             | \" 8\"",
            "['x','8']       | \" \"",
            "' 8'            | \"\"",
            "['zz','85','5'] | \" \"",
            "'zz'            | \" 85\"",
            "[]              | \" 85\""})
    void textEndsBeforeTheStop(String stop, String expected) {
        String body = ",'stop':" + stop;
        JsonNode root = api.post("/v1/completions", completion(body)).ok();
        assertEquals(expected, text(root, 0), stop);
        assertEquals("stop", finishReason(root, 0));
        SseReply stream = api.stream("/v1/completions", completion(body + ",'stream':true"));
        assertEquals(expected, stream.text(0), stop);
        assertEquals("stop", stream.finishReason(0));
    }

    @Test
    void tokensUpToTheStopAreCounted() {
        JsonNode root = api.post("/v1/completions", completion(",'stop':'5'")).ok();
        // " ", "8", and "5" that completed the stop string
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 3);
    }

    @Test
    void maxTokensBeforeTheStopIsLength() {
        JsonNode root = api.post("/v1/completions", completion(",'stop':'5','max_tokens':2")).ok();
        assertEquals(" 8", text(root, 0));
        assertEquals("length", finishReason(root, 0));
    }

    @Test
    void chatStops() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'stop':['5']")).ok();
        assertEquals(" 8", text(root, 0));
        assertEquals("stop", finishReason(root, 0));
        SseReply stream = api.stream("/v1/chat/completions", chat(",'stop':'5','stream':true"));
        assertEquals(" 8", stream.text(0));
        assertEquals("stop", stream.finishReason(0));
    }
}
