package dev.cascade.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.cascade.server.http.BadRequestHttpTest.assertError;
import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.finishReason;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sequence runs and one may wait: more concurrent requests than that get 429 with Retry-After,
 * and every accepted one still completes in full.
 */
class OverloadHttpTest {
    private static final int CONCURRENT = 6;
    private static final int LONG = 40;

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.Setup.DEFAULT.withQueue(1, 1));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void fullQueueAnswers429WithRetryAfter() {
        List<CompletableFuture<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) {
            String path = i % 2 == 0 ? "/v1/completions" : "/v1/chat/completions";
            String more = ",'ignore_eos':true,'max_tokens':" + LONG;
            String body = i % 2 == 0 ? completion(more) : chat(more);
            calls.add(CompletableFuture.supplyAsync(() -> api.post(path, body)));
        }
        int served = 0;
        int refused = 0;
        for (CompletableFuture<Reply> call : calls) {
            Reply r = call.join();
            if (r.status() == 429) {
                refused++;
                assertError(r, 429, "rate_limit_error", null, "rate_limit_exceeded",
                        "The server is overloaded; retry after 1 seconds.");
                assertEquals("1", r.header("retry-after"));
            } else {
                served++;
                assertEquals("length", finishReason(r.ok(), 0), r.body());
                assertEquals(LONG, r.json().get("usage").get("completion_tokens").intValue());
            }
        }
        // at most one running and one waiting at any time, and the first always gets in
        assertTrue(refused > 0, "refused " + refused);
        assertTrue(served > 0, "served " + served);
        assertEquals(CONCURRENT, served + refused);
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0), "serves again once the queue drains");
    }

    /**
     * n choices are n sequences: more than the queue takes is refused as a whole, and the choices
     * already queued are cancelled. Their slots free up when the loop takes the cancellation, between
     * two steps, not at once.
     */
    @Test
    void tooManyChoicesAtOnce() throws InterruptedException {
        Reply r = api.post("/v1/completions", completion(",'n':3,'ignore_eos':true,'max_tokens':" + LONG));
        assertError(r, 429, "rate_limit_error", null, "rate_limit_exceeded", "overloaded");
        var loop = server.server.models().get(TestServer.MODEL).loop();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (loop.busy()) {
            assertTrue(System.nanoTime() < deadline, "the refused choices were not cancelled");
            Thread.sleep(5);
        }
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0));
    }
}
