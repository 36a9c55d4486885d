package dev.cascade.server.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.cascade.server.http.BadRequestHttpTest.assertError;
import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With API keys configured, /v1 wants a bearer key; /health and /metrics stay open for probes and scrapers. */
class AuthHttpTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.Setup.DEFAULT.withKeys("sk-test", "sk-other"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void missingKey() {
        Api anonymous = server.api();
        for (Reply r : new Reply[]{anonymous.get("/v1/models"), anonymous.get("/v1/models/demo-tiny"),
                anonymous.post("/v1/completions", completion("")), anonymous.post("/v1/chat/completions", chat(""))}) {
            assertError(r, 401, "authentication_error", null, "invalid_api_key",
                    "Missing API key: send it as 'Authorization: Bearer <key>'.");
        }
    }

    @Test
    void wrongKey() {
        Api wrong = server.api("sk-wrong");
        assertError(wrong.get("/v1/models"), 401, "authentication_error", null, "invalid_api_key", "Incorrect API key provided.");
        assertError(wrong.post("/v1/completions", completion("")), 401, "authentication_error", null, "invalid_api_key",
                "Incorrect API key provided.");
        // a prefix of a key is not the key
        assertError(server.api("sk-tes").get("/v1/models"), 401, "authentication_error", null, "invalid_api_key",
                "Incorrect API key provided.");
    }

    @Test
    void notABearerKey() {
        Api anonymous = server.api();
        Reply r = anonymous.send(anonymous.request("/v1/models").header("Authorization", "Basic c2stdGVzdDo="));
        assertError(r, 401, "authentication_error", null, "invalid_api_key", "Missing API key");
    }

    /** The key is checked before the body is read: a stranger learns nothing from a 400. */
    @Test
    void keyBeforeBody() {
        assertError(server.api().post("/v1/completions", "not json"), 401, "authentication_error", null,
                "invalid_api_key", "Missing API key");
    }

    @Test
    void anyConfiguredKeyServes() {
        for (String key : new String[]{"sk-test", "sk-other"}) {
            Api api = server.api(key);
            assertEquals(200, api.get("/v1/models").status());
            assertEquals(200, api.get("/v1/models/demo-tiny").status());
            assertEquals(" 85", text(api.post("/v1/completions", completion("")).ok(), 0));
            assertEquals(" 85", text(api.post("/v1/chat/completions", chat("")).ok(), 0));
        }
    }

    @Test
    void bearerIsCaseInsensitive() {
        Api anonymous = server.api();
        assertEquals(200, anonymous.send(anonymous.request("/v1/models").header("Authorization", "bearer sk-test")).status());
    }

    @Test
    void healthAndMetricsNeedNoKey() {
        Api anonymous = server.api();
        assertEquals(200, anonymous.get("/health").status());
        assertEquals(200, anonymous.get("/metrics").status());
        Api wrong = server.api("sk-wrong");
        assertEquals(200, wrong.get("/health").status());
        assertEquals(200, wrong.get("/metrics").status());
    }
}
