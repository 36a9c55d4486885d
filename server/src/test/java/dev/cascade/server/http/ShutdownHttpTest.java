package dev.cascade.server.http;

import dev.cascade.engine.generate.FinishReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.finishReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A graceful shutdown: once it begins, new work on a connection already open gets 503 while the
 * requests already running finish in full, streamed or not; then the port closes.
 */
class ShutdownHttpTest {
    // BOS + "Q: 38+47\nA:" is 12 tokens: 50 more stay inside demo-tiny's context of 64
    private static final int LONG = 50;

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
    void drainsRunningRequestsAndRefusesNewOnes() throws Exception {
        Api api = server.api();
        ServedModel model = server.server.models().get(TestServer.MODEL);
        try (RawHttp open = new RawHttp(server.port); LoopGate gate = LoopGate.holdingAtToken(model, 1)) {
            assertEquals(200, RawHttp.status(open.exchange("GET", "/health", "")), "a connection made before the shutdown");
            String more = ",'ignore_eos':true,'max_tokens':" + LONG;
            CompletableFuture<Reply> whole = api.postAsync("/v1/completions", completion(more + ",'n':4"));
            CompletableFuture<Reply> streamed = api.postAsync("/v1/chat/completions",
                    chat(more + ",'stream':true,'stream_options':{'include_usage':true}"));
            Waiting.until(() -> model.loop().waiting() + model.loop().running() == 6, "the gate and five choices in flight");
            // hold the loop again once every choice has its first token: mid-generation, 49 to go
            long firstTokens = server.firstTokens();
            gate.releaseUntil(() -> server.firstTokens() >= firstTokens + 5);

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
                try {
                    server.server.shutdown(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Waiting.until(server.server::draining, "the shutdown has begun");

            String refused = open.exchange("POST", "/v1/completions", Api.json(completion("")));
            assertEquals(503, RawHttp.status(refused), refused);
            var error = Reply.parse(RawHttp.body(refused)).get("error");
            assertEquals("server_error", error.get("type").textValue());
            assertEquals("service_unavailable", error.get("code").textValue());
            assertEquals("The server is shutting down.", error.get("message").textValue());
            assertEquals(503, RawHttp.status(open.exchange("POST", "/v1/chat/completions", Api.json(chat("")))));
            assertEquals(503, RawHttp.status(open.exchange("GET", "/health", "")), "load balancers stop sending");
            assertFalse(whole.isDone() || streamed.isDone() || shutdown.isDone(), "all held by the gate");

            gate.release();
            Reply done = whole.get();
            for (int i = 0; i < 4; i++) {
                assertEquals("length", finishReason(done.ok(), i));
            }
            assertEquals(4 * LONG, done.json().get("usage").get("completion_tokens").intValue());
            SseReply stream = SseReply.of(streamed.get());
            assertEquals("length", stream.finishReason(0));
            assertEquals(LONG, stream.chunks().getLast().get("usage").get("completion_tokens").intValue());
            shutdown.get();
            assertEquals(FinishReason.LENGTH, gate.finished.get().finishReason(), "the drain waited for it too");
        }
        assertThrows(UncheckedIOException.class, () -> api.get("/health"), "the port is closed");
    }
}
