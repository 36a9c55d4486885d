package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static dev.cascade.server.http.Bodies.ADD_PROMPT_TOKENS;
import static dev.cascade.server.http.Bodies.MUL;
import static dev.cascade.server.http.Bodies.chat;
import static dev.cascade.server.http.Bodies.completion;
import static dev.cascade.server.http.Bodies.prompt;
import static dev.cascade.server.http.Shapes.assertUsage;
import static dev.cascade.server.http.Shapes.finishReason;
import static dev.cascade.server.http.Shapes.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sampling parameters as a client sends them. demo-tiny is sure of "38+47" and unsure of
 * "7634*98", so sampling the latter at a high temperature shows whether a parameter took effect.
 */
class SamplingHttpTest {
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

    @Test
    void temperatureZeroIsDeterministic() {
        String body = prompt(MUL, ",'temperature':0,'max_tokens':8");
        assertEquals(complete(body), complete(body));
        assertEquals(complete(body), complete(prompt(MUL, ",'temperature':0,'max_tokens':8,'seed':99")), "greedy ignores the seed");
    }

    @Test
    void theSameSeedSamplesTheSameText() {
        String body = prompt(MUL, ",'temperature':1.5,'seed':7,'max_tokens':8");
        assertEquals(complete(body), complete(body));
        String chat = "{'model':'demo-tiny','messages':[{'role':'user','content':'7634*98'}],'temperature':1.5,'seed':7,'max_tokens':8}";
        assertEquals(text(api.post("/v1/chat/completions", chat).ok(), 0), text(api.post("/v1/chat/completions", chat).ok(), 0));
    }

    @Test
    void otherSeedsSampleOtherTexts() {
        Set<String> texts = new HashSet<>();
        for (int seed = 0; seed < 4; seed++) {
            texts.add(complete(prompt(MUL, ",'temperature':1.5,'max_tokens':8,'seed':" + seed)));
        }
        assertTrue(texts.size() > 1, texts.toString());
    }

    /** Choice i of a seeded request samples with seed + i: n different samples, each reproducible alone. */
    @Test
    void nChoicesWithASeed() {
        JsonNode root = api.post("/v1/completions", prompt(MUL, ",'temperature':1.5,'max_tokens':8,'seed':40,'n':3")).ok();
        assertEquals(3, root.get("choices").size());
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(i, root.get("choices").get(i).get("index").intValue());
            assertEquals(complete(prompt(MUL, ",'temperature':1.5,'max_tokens':8,'seed':" + (40 + i))), text(root, i));
            texts.add(text(root, i));
        }
        assertTrue(texts.size() > 1, texts.toString());
    }

    @Test
    void nChoicesForChat() {
        JsonNode root = api.post("/v1/chat/completions", chat(",'n':2")).ok();
        assertEquals(2, root.get("choices").size());
        for (int i = 0; i < 2; i++) {
            assertEquals(i, root.get("choices").get(i).get("index").intValue());
            assertEquals(" 85", text(root, i));
        }
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 6);
    }

    /** Each cut leaves only the likeliest token, so sampling hot gives the greedy answer whatever the seed. */
    @ParameterizedTest
    @ValueSource(strings = {"'top_k':1", "'top_p':0.001", "'min_p':1.0"})
    void cutsDownToTheLikeliestToken(String cut) {
        String greedy = complete(prompt(MUL, ",'temperature':0,'max_tokens':8"));
        for (int seed = 0; seed < 3; seed++) {
            assertEquals(greedy, complete(prompt(MUL, ",'temperature':2,'max_tokens':8,'seed':" + seed + "," + cut)), cut);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"'top_k':-1", "'top_k':0", "'top_p':1", "'min_p':0"})
    void noCutIsTheDefault(String noCut) {
        String body = ",'temperature':1.5,'max_tokens':8,'seed':3";
        assertEquals(complete(prompt(MUL, body)), complete(prompt(MUL, body + "," + noCut)));
    }

    @Test
    void ignoreEosGeneratesExactlyMaxTokens() {
        JsonNode root = api.post("/v1/completions", completion(",'ignore_eos':true,'max_tokens':10")).ok();
        assertEquals("length", finishReason(root, 0));
        assertTrue(text(root, 0).startsWith(" 85"), text(root, 0));
        assertUsage(root.get("usage"), ADD_PROMPT_TOKENS, 10);
        JsonNode chat = api.post("/v1/chat/completions", chat(",'ignore_eos':true,'max_tokens':10")).ok();
        assertEquals("length", finishReason(chat, 0));
        assertUsage(chat.get("usage"), ADD_PROMPT_TOKENS, 10);
    }

    /** A negative penalty favours digits already written: " 100" becomes " 1" and more ones. */
    @ParameterizedTest
    @ValueSource(strings = {"presence_penalty", "frequency_penalty"})
    void penaltiesChangeWhatIsRepeated(String penalty) {
        String plain = complete(prompt("Q: 55+55\\nA:", ",'temperature':0"));
        String body = prompt("Q: 55+55\\nA:", ",'temperature':0,'" + penalty + "':-2");
        String penalised = complete(body);
        assertEquals(" 100", plain);
        assertTrue(penalised.startsWith(" 11"), penalised);
        assertEquals(penalised, complete(body), "still deterministic");
        assertEquals(plain, complete(prompt("Q: 55+55\\nA:", ",'temperature':0,'" + penalty + "':0")));
    }

    @Test
    void userIsAcceptedAndChangesNothing() {
        assertEquals(" 85", complete(completion(",'user':'user-1234'")));
        assertEquals(" 85", text(api.post("/v1/chat/completions", chat(",'user':'user-1234'")).ok(), 0));
    }

    private static String complete(String body) {
        Reply r = api.post("/v1/completions", body);
        assertEquals(200, r.status(), r.body());
        return text(r.json(), 0);
    }
}
