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
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * One sequence runs and one may wait: more requests than that get 429 with Retry-After, and the
 * accepted one still completes in full. A {@link LoopGate} is the running sequence, held mid-way,
 * so that the queue is certainly full however fast demo-tiny is.
 */
class OverloadHttpTest {
    private static final int BURST = 6;
    // BOS + "Q: 38+47\nA:" is 12 tokens: 50 more stay inside demo-tiny's context of 64
    private static final int LONG = 50;

    private static TestServer server;
    private static Api api;
    private static ServedModel model;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.Setup.DEFAULT.withQueue(1, 1));
        api = server.api();
        model = server.server.models().get(TestServer.MODEL);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void fullQueueAnswers429WithRetryAfter() throws Exception {
        String more = ",'ignore_eos':true,'max_tokens':" + LONG;
        // at its second token the gate is running, and the loop has said so
        try (LoopGate gate = LoopGate.holdingAtToken(model, 2)) {
            CompletableFuture<Reply> accepted = api.postAsync("/v1/completions", completion(more));
            Waiting.until(() -> model.loop().waiting() == 1, "the first request waits");
            List<CompletableFuture<Reply>> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(i % 2 == 0 ? api.postAsync("/v1/completions", completion(more))
                        : api.postAsync("/v1/chat/completions", chat(more + ",'stream':true")));
            }
            for (CompletableFuture<Reply> call : burst) {
                Reply r = call.get();
                assertError(r, 429, "rate_limit_error", null, "rate_limit_exceeded",
                        "The server is overloaded; retry after 1 seconds.");
                assertEquals("1", r.header("retry-after"));
            }
            assertFalse(accepted.isDone());
            gate.release();
            Reply r = accepted.get();
            assertEquals("length", finishReason(r.ok(), 0), r.body());
            assertEquals(LONG, r.json().get("usage").get("completion_tokens").intValue());
            gate.finished.get();
        }
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0), "serves again once the queue drains");
    }

    /**
     * n choices are n sequences: more than the queue takes is refused as a whole, and the choices
     * already queued are cancelled. Their slots free up when the loop takes the cancellation, between
     * two steps, not at once.
     */
    @Test
    void tooManyChoicesAtOnce() throws Exception {
        try (LoopGate gate = LoopGate.holdingAtToken(model, 2)) {
            Reply r = api.post("/v1/completions", completion(",'n':2,'max_tokens':4"));
            assertError(r, 429, "rate_limit_error", null, "rate_limit_exceeded", "overloaded");
            gate.release();
            gate.finished.get();
        }
        Waiting.until(() -> !model.loop().busy(), "the refused choices are cancelled");
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0));
    }
}
