package dev.cascade.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.finishReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (RawHttp open = new RawHttp(server.port)) {
            assertEquals(200, RawHttp.status(open.exchange("GET", "/health", "")), "a connection made before the shutdown");
            String more = ",'ignore_eos':true,'max_tokens':" + LONG;
            CompletableFuture<Reply> whole = CompletableFuture.supplyAsync(() -> api.post("/v1/completions", completion(more)));
            CompletableFuture<Reply> streamed = CompletableFuture.supplyAsync(
                    () -> api.post("/v1/chat/completions", chat(more + ",'stream':true,'stream_options':{'include_usage':true}")));
            var loop = server.server.models().get(TestServer.MODEL).loop();
            await(() -> loop.running() == 2, "both requests running");

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> {
                try {
                    server.server.shutdown(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await(server.server::draining, "the shutdown has begun");

            String refused = open.exchange("POST", "/v1/completions", Api.json(completion("")));
            assertEquals(503, RawHttp.status(refused), refused);
            var error = Reply.parse(RawHttp.body(refused)).get("error");
            assertEquals("server_error", error.get("type").textValue());
            assertEquals("service_unavailable", error.get("code").textValue());
            assertEquals("The server is shutting down.", error.get("message").textValue());
            assertEquals(503, RawHttp.status(open.exchange("POST", "/v1/chat/completions", Api.json(chat("")))));
            assertEquals(503, RawHttp.status(open.exchange("GET", "/health", "")), "load balancers stop sending");
            assertTrue(loop.running() > 0, "the refusals came while the long requests still ran");

            Reply done = whole.get();
            assertEquals("length", finishReason(done.ok(), 0));
            assertEquals(LONG, done.json().get("usage").get("completion_tokens").intValue());
            SseReply stream = SseReply.of(streamed.get());
            assertEquals("length", stream.finishReason(0));
            assertEquals(LONG, stream.chunks().getLast().get("usage").get("completion_tokens").intValue());

            shutdown.get();
        }
        assertThrows(UncheckedIOException.class, () -> api.get("/health"), "the port is closed");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
