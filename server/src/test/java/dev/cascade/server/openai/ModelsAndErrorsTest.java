package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.cascade.server.openai.TestJson.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelsAndErrorsTest {

    @Test
    void modelList() {
        JsonNode root = read(OpenAiResponses.models(List.of(
                new ModelEntry("tiny", 1700000000L, null, 2048),
                new ModelEntry("other", 5L, "someone", null))));
        assertEquals("list", root.get("object").textValue());
        JsonNode data = root.get("data");
        assertEquals(2, data.size());
        JsonNode tiny = data.get(0);
        assertEquals("tiny", tiny.get("id").textValue());
        assertEquals("model", tiny.get("object").textValue());
        assertEquals(1700000000L, tiny.get("created").longValue());
        assertEquals("cascade", tiny.get("owned_by").textValue());
        assertEquals(2048, tiny.get("max_model_len").intValue());
        assertEquals("someone", data.get(1).get("owned_by").textValue());
        assertFalse(data.get(1).has("max_model_len"));
    }

    @Test
    void emptyModelList() {
        assertEquals("{\"object\":\"list\",\"data\":[]}", new String(OpenAiResponses.models(List.of())));
    }

    @Test
    void errorBodyKeepsNullsAsJsonNulls() {
        JsonNode error = read(OpenAiResponses.error(ApiException.internal("boom"))).get("error");
        assertEquals("boom", error.get("message").textValue());
        assertEquals("server_error", error.get("type").textValue());
        assertTrue(error.has("param") && error.get("param").isNull());
        assertTrue(error.has("code") && error.get("code").isNull());
        assertEquals(4, error.size());
    }

    @Test
    void badRequestNamesItsParam() {
        JsonNode error = read(OpenAiResponses.error(ApiException.badRequest("top_p", "top_p must be ..."))).get("error");
        assertEquals("invalid_request_error", error.get("type").textValue());
        assertEquals("top_p", error.get("param").textValue());
        assertEquals("top_p must be ...", error.get("message").textValue());
    }

    @Test
    void factoriesStatusesAndCodes() {
        assertError(ApiException.badRequest("n", "x"), 400, "invalid_request_error", "n", null);
        assertError(ApiException.unauthorized("bad key"), 401, "authentication_error", null, "invalid_api_key");
        assertError(ApiException.notFound("no route /v2", null), 404, "not_found_error", null, null);
        assertError(ApiException.modelNotFound("gpt-9"), 404, "invalid_request_error", "model", "model_not_found");
        assertError(ApiException.tooLarge(1024), 413, "invalid_request_error", null, "request_too_large");
        assertError(ApiException.overloaded(3), 429, "rate_limit_error", null, "rate_limit_exceeded");
        assertError(ApiException.unavailable("loading"), 503, "server_error", null, "service_unavailable");
        assertError(ApiException.internal("oops"), 500, "server_error", null, null);
    }

    @Test
    void messagesSayWhatHappened() {
        assertTrue(ApiException.modelNotFound("gpt-9").getMessage().contains("gpt-9"));
        assertTrue(ApiException.tooLarge(1024).getMessage().contains("1024 bytes"));
        assertEquals(3, ApiException.overloaded(3).retryAfterSeconds());
        assertNull(ApiException.internal("x").retryAfterSeconds());
    }

    @Test
    void noStackTraceIsCaptured() {
        assertEquals(0, ApiException.internal("x").getStackTrace().length);
    }

    @Test
    void idsHaveOpenAiShapesAndDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String cmpl = OpenAiResponses.ids().completion();
            String chat = OpenAiResponses.ids().chat();
            assertTrue(cmpl.matches("cmpl-[0-9a-f]{32}"), cmpl);
            assertTrue(chat.matches("chatcmpl-[0-9a-f]{32}"), chat);
            assertTrue(seen.add(cmpl) && seen.add(chat));
        }
    }

    @Test
    void offsetsCountCodePoints() {
        assertEquals(3, Offsets.length("a🎉b"));
        assertEquals(0, Offsets.length(null));
    }

    private static void assertError(ApiException e, int status, String type, String param, String code) {
        assertEquals(status, e.status());
        assertEquals(type, e.type());
        assertEquals(param, e.param());
        assertEquals(code, e.code());
        JsonNode error = read(OpenAiResponses.error(e)).get("error");
        assertEquals(type, error.get("type").textValue());
        assertEquals(code, error.get("code").textValue());
        assertEquals(param, error.get("param").textValue());
    }
}
