package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.stream.Stream;

import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Shapes.fields;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Requests the server must refuse, each with its status and OpenAI error (type, param, code, a
 * message fragment). No input may produce a 500 or stop the server: after every one of them the
 * server still answers a good request.
 */
class BadRequestHttpTest {
    private static final String C = "/v1/completions";
    private static final String CHAT = "/v1/chat/completions";
    private static final String CMPL = "'model':'demo-tiny','prompt':'hi'";
    private static final String MSGS = "'model':'demo-tiny','messages':[{'role':'user','content':'hi'}]";
    private static final String BAD = "invalid_request_error";

    private static TestServer server;
    private static Api api;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.Setup.DEFAULT,
                TestServer.serve(TestServer.MODEL, ModelLoader.open(TestServer.MODEL, null), TestServer.Setup.DEFAULT),
                TestServer.withoutChatTemplate("plain-tiny"));
        api = server.api();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void stillServes() {
        assertEquals(" 85", text(api.post(C, completion("")).ok(), 0));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // not a JSON object
                arguments("POST", C, "{'model':", 400, BAD, null, null, "could not parse the JSON body"),
                arguments("POST", CHAT, "not json", 400, BAD, null, null, "could not parse the JSON body"),
                arguments("POST", C, "", 400, BAD, null, null, "the body is empty"),
                arguments("POST", C, "[1,2]", 400, BAD, null, null, "must be a JSON object, got an array"),
                arguments("POST", C, "{'model':'demo-tiny','prompt':" + "[".repeat(2000) + "]".repeat(2000) + "}",
                        400, BAD, null, null, "nesting depth"),
                // missing fields
                arguments("POST", C, "{'prompt':'hi'}", 400, BAD, "model", null, "you must provide a model parameter"),
                arguments("POST", C, "{'model':'demo-tiny'}", 400, BAD, "prompt", null, "you must provide a prompt parameter"),
                arguments("POST", CHAT, "{'model':'demo-tiny'}", 400, BAD, "messages", null, "you must provide a messages parameter"),
                // wrong types, each naming its field
                arguments("POST", C, "{" + CMPL + ",'temperature':'0.5'}", 400, BAD, "temperature", null,
                        "temperature must be a number, got a string"),
                arguments("POST", C, "{" + CMPL + ",'max_tokens':'10'}", 400, BAD, "max_tokens", null,
                        "max_tokens must be an integer, got a string"),
                arguments("POST", C, "{" + CMPL + ",'n':1.5}", 400, BAD, "n", null, "n must be an integer"),
                arguments("POST", C, "{" + CMPL + ",'stream':'true'}", 400, BAD, "stream", null,
                        "stream must be a boolean, got a string"),
                arguments("POST", C, "{" + CMPL + ",'stop':7}", 400, BAD, "stop", null,
                        "stop must be a string or a list of strings, got a number"),
                arguments("POST", C, "{'model':'demo-tiny','prompt':5}", 400, BAD, "prompt", null, "got a number"),
                arguments("POST", C, "{'model':5,'prompt':'hi'}", 400, BAD, "model", null, "model must be a string"),
                arguments("POST", C, "{" + CMPL + ",'seed':'x'}", 400, BAD, "seed", null, "seed must be an integer"),
                arguments("POST", C, "{" + CMPL + ",'user':42}", 400, BAD, "user", null, "user must be a string"),
                arguments("POST", C, "{" + CMPL + ",'logprobs':true}", 400, BAD, "logprobs", null, "logprobs must be an integer"),
                arguments("POST", C, "{" + CMPL + ",'stream':true,'stream_options':true}", 400, BAD, "stream_options", null,
                        "stream_options must be an object"),
                arguments("POST", CHAT, "{'model':'demo-tiny','messages':'hi'}", 400, BAD, "messages", null,
                        "messages must be a list of messages, got a string"),
                arguments("POST", CHAT, "{'model':'demo-tiny','messages':[{'role':'user','content':5}]}", 400, BAD,
                        "messages[0].content", null, "got a number"),
                arguments("POST", CHAT, "{" + MSGS + ",'logprobs':1}", 400, BAD, "logprobs", null, "logprobs must be a boolean"),
                arguments("POST", CHAT, "{" + MSGS + ",'top_p':[1]}", 400, BAD, "top_p", null, "top_p must be a number"),
                // out of range
                arguments("POST", C, "{" + CMPL + ",'temperature':3}", 400, BAD, "temperature", null, "between 0 and 2, got 3"),
                arguments("POST", C, "{" + CMPL + ",'n':17}", 400, BAD, "n", null, "n must be between 1 and 16, got 17"),
                arguments("POST", C, "{" + CMPL + ",'max_tokens':0}", 400, BAD, "max_tokens", null, "at least 1"),
                arguments("POST", C, "{" + CMPL + ",'max_tokens':99999999999999999999999}", 400, BAD, "max_tokens", null,
                        "a 64-bit integer"),
                arguments("POST", CHAT, "{" + MSGS + ",'logprobs':true,'top_logprobs':21}", 400, BAD, "top_logprobs", null,
                        "between 0 and 20"),
                arguments("POST", CHAT, "{" + MSGS + ",'top_logprobs':2}", 400, BAD, "top_logprobs", null,
                        "only allowed when logprobs is true"),
                // longer than demo-tiny's 64-token context: BOS + 63 characters
                arguments("POST", C, "{'model':'demo-tiny','prompt':'" + "x".repeat(63) + "'}", 400, BAD, "prompt", null,
                        "maximum context length is 64 tokens; the prompt has 64 tokens"),
                arguments("POST", C, "{'model':'demo-tiny','prompt':['hi','" + "x".repeat(500) + "']}", 400, BAD, "prompt",
                        null, "maximum context length is 64 tokens"),
                arguments("POST", CHAT, "{'model':'demo-tiny','messages':[{'role':'user','content':'" + "x".repeat(200) + "'}]}",
                        400, BAD, "messages", null, "maximum context length is 64 tokens"),
                // models
                arguments("POST", C, "{'model':'gpt-4','prompt':'hi'}", 404, BAD, "model", "model_not_found",
                        "The model `gpt-4` does not exist."),
                arguments("POST", CHAT, "{'model':'gpt-4','messages':[{'role':'user','content':'hi'}]}", 404, BAD, "model",
                        "model_not_found", "The model `gpt-4` does not exist."),
                arguments("GET", "/v1/models/gpt-4", null, 404, BAD, "model", "model_not_found", "does not exist"),
                arguments("POST", CHAT, "{'model':'plain-tiny','messages':[{'role':'user','content':'hi'}]}", 400, BAD,
                        "messages", null, "The model `plain-tiny` has no chat template; use /v1/completions."),
                // paths and methods
                arguments("GET", "/v2/models", null, 404, "not_found_error", null, null, "Unknown path /v2/models"),
                arguments("POST", "/v1/embeddings", "{}", 404, "not_found_error", null, null, "Unknown path /v1/embeddings"),
                arguments("GET", "/", null, 404, "not_found_error", null, null, "Unknown path /"),
                arguments("GET", C, null, 405, BAD, null, "method_not_allowed", "GET is not allowed on /v1/completions; use POST."),
                arguments("PUT", CHAT, "{}", 405, BAD, null, "method_not_allowed", "PUT is not allowed on /v1/chat/completions"),
                arguments("POST", "/v1/models", "{}", 405, BAD, null, "method_not_allowed", "use GET"),
                arguments("DELETE", "/v1/models/demo-tiny", null, 405, BAD, null, "method_not_allowed", "use GET"),
                arguments("POST", "/health", "{}", 405, BAD, null, "method_not_allowed", "use GET"),
                arguments("POST", "/metrics", "{}", 405, BAD, null, "method_not_allowed", "use GET"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedWithAnOpenAiError(String method, String path, String body, int status, String type, String param,
                                  String code, String fragment) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Api.json(body));
        Reply r = api.send(api.request(path).method(method, publisher).header("Content-Type", "application/json"));
        assertError(r, status, type, param, code, fragment);
    }

    /** java.net.http will not send a malformed escape, so these go over a plain socket. */
    @Test
    void malformedPathEscapeIsABadRequest() {
        try (RawHttp raw = new RawHttp(server.port)) {
            String response = raw.exchange("GET", "/v1/models/%zz", "");
            assertEquals(400, RawHttp.status(response), response);
            JsonNode error = Reply.parse(RawHttp.body(response)).get("error");
            assertTrue(error.get("message").textValue().startsWith("Malformed request path"), error.toString());
            response = raw.exchange("GET", "/v1/%zz", "");
            assertEquals(400, RawHttp.status(response), response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** %25 is a literal '%': the model name is "demo%2dtiny", which is not demo-tiny. */
    @Test
    void modelIdIsDecodedOnce() {
        assertEquals(200, api.get("/v1/models/demo%2Dtiny").status());
        assertError(api.get("/v1/models/demo%252dtiny"), 404, BAD, "model", "model_not_found",
                "The model `demo%2dtiny` does not exist.");
    }

    /** Inputs that are odd but valid: they generate, and nothing breaks. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{'model':'demo-tiny','prompt':'','max_tokens':4}",
            "{'model':'demo-tiny','prompt':'\\u0000\\u0001','max_tokens':4}",
            "{'model':'demo-tiny','prompt':'\\ud83d\\ude00 \\u00e9','max_tokens':4,'logprobs':3}",
            "{'model':'demo-tiny','prompt':'\\ud83d','max_tokens':4,'stream':true}",
            "{'model':'plain-tiny','prompt':'Q: 38+47\\nA:','max_tokens':4}",
            "{'model':'demo-tiny','messages':[{'role':'system','content':'be brief'}],'max_tokens':4}",
            "{'model':'demo-tiny','messages':[{'role':'tool','content':'42','tool_call_id':'x'}],'max_tokens':4}",
            "{'model':'demo-tiny','messages':[{'role':'user','content':''}],'max_tokens':4}",
            "{'model':'demo-tiny','messages':[{'role':'user','content':[{'type':'text','text':'38+47'}]}],'max_tokens':4}",
            "{'model':'demo-tiny','prompt':'hi','max_tokens':4,'unknown_option':{'a':[1]}}"})
    void oddButValid(String body) {
        Reply r = api.post(body.contains("messages") ? CHAT : C, body);
        assertEquals(200, r.status(), r.body());
    }

    static void assertError(Reply r, int status, String type, String param, String code, String fragment) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/json", r.header("content-type"));
        JsonNode root = r.json();
        assertEquals(List.of("error"), fields(root));
        JsonNode error = root.get("error");
        assertEquals(List.of("message", "type", "param", "code"), fields(error));
        assertTrue(error.get("message").textValue().contains(fragment), error.get("message").textValue());
        assertEquals(type, error.get("type").textValue());
        assertEquals(param, error.get("param").textValue(), "param");
        assertEquals(code, error.get("code").textValue(), "code");
    }
}
