package dev.cascade.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that goes away mid-generation: its sequences are aborted and their KV blocks freed, and
 * the server goes on serving. A {@link LoopGate} holds the loop until the server has seen the
 * connection close, so the abort cannot lose a race against demo-tiny finishing first.
 */
class DisconnectHttpTest {
    private static final String M = "{model=\"demo-tiny\"}";
    private static final String ABORTED = "cascade_requests_total{finish_reason=\"abort\",model=\"demo-tiny\"}";

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
    @ValueSource(booleans = {true, false})
    void goingAwayAbortsTheRequest(boolean stream) throws Exception {
        ServedModel model = server.server.models().get(TestServer.MODEL);
        double aborted = metrics().get(ABORTED);
        try (LoopGate gate = LoopGate.holdingAtToken(model, 1)) {
            RawHttp raw = new RawHttp(server.port);
            raw.write(RawHttp.request("POST", "/v1/completions",
                    Api.json(completion(",'ignore_eos':true,'max_tokens':50,'n':2,'stream':" + stream))));
            Waiting.until(() -> model.loop().waiting() + model.loop().running() == 3, "the gate and two choices in flight");
            long started = server.firstTokens();
            gate.releaseUntil(() -> server.firstTokens() >= started + 2);
            int open = server.server.connections();
            raw.close();
            Waiting.until(() -> server.server.connections() == open - 1, "the server sees the close");
            gate.release();
            gate.finished.get();
        }
        Waiting.until(() -> !model.loop().busy(), "the aborted choices end");
        Prometheus after = metrics();
        assertEquals(aborted + 2, after.get(ABORTED), "both choices aborted, none ran to its length");
        Waiting.until(() -> metrics().get("cascade_kv_blocks_used" + M) == 0, "the blocks return to the pool");
        assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0));
    }

    private static Prometheus metrics() {
        Reply r = api.get("/metrics");
        assertTrue(r.status() == 200, r.toString());
        return Prometheus.parse(r.body());
    }
}
