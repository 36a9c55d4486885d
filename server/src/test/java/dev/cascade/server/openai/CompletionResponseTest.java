package dev.cascade.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.cascade.server.openai.TestJson.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionResponseTest {

    private static TokenLogprob token(String text, float logprob, TopLogprob... top) {
        return new TokenLogprob(text, text.getBytes(StandardCharsets.UTF_8), logprob, List.of(top));
    }

    private static TopLogprob alt(String text, float logprob) {
        return new TopLogprob(text, text.getBytes(StandardCharsets.UTF_8), logprob);
    }

    @Test
    void wholeResponseShape() {
        byte[] json = OpenAiResponses.completion("cmpl-1", 1700000000L, "tiny",
                List.of(new ChoiceOutput(0, "Hello there", "stop", null),
                        new ChoiceOutput(1, "Hi", "length", null)),
                new Usage(5, 7));
        JsonNode root = read(json);
        assertEquals("cmpl-1", root.get("id").textValue());
        assertEquals("text_completion", root.get("object").textValue());
        assertEquals(1700000000L, root.get("created").longValue());
        assertEquals("tiny", root.get("model").textValue());
        JsonNode choices = root.get("choices");
        assertEquals(2, choices.size());
        JsonNode first = choices.get(0);
        assertEquals(0, first.get("index").intValue());
        assertEquals("Hello there", first.get("text").textValue());
        assertTrue(first.has("logprobs") && first.get("logprobs").isNull(), first.toString());
        assertEquals("stop", first.get("finish_reason").textValue());
        assertEquals(1, choices.get(1).get("index").intValue());
        assertEquals("length", choices.get(1).get("finish_reason").textValue());
        JsonNode usage = root.get("usage");
        assertEquals(5, usage.get("prompt_tokens").intValue());
        assertEquals(7, usage.get("completion_tokens").intValue());
        assertEquals(12, usage.get("total_tokens").intValue());
    }

    @Test
    void compactUtf8() {
        byte[] json = OpenAiResponses.completion("cmpl-1", 1L, "m",
                List.of(new ChoiceOutput(0, "é世🎉", "stop", null)), new Usage(1, 1));
        String text = new String(json, StandardCharsets.UTF_8);
        assertFalse(text.contains("\n") || text.contains(": "), text);
        assertTrue(text.contains("\"text\":\"é世🎉\""), text);
    }

    @Test
    void logprobsListsInParallel() {
        List<TokenLogprob> tokens = List.of(
                token("Hel", -0.5f, alt("Hel", -0.5f), alt("He", -1.25f)),
                token("lo", -0.25f, alt("p", -0.125f), alt("lo", -0.25f)),
                token(" world", -2f, alt("!", -0.75f), alt(".", -1.5f)));
        JsonNode choice = read(OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "Hello world", "length", tokens)), new Usage(1, 3)))
                .get("choices").get(0);
        JsonNode logprobs = choice.get("logprobs");
        assertEquals("[\"Hel\",\"lo\",\" world\"]", logprobs.get("tokens").toString());
        assertEquals("[-0.5,-0.25,-2.0]", logprobs.get("token_logprobs").toString());
        assertEquals("[0,3,5]", logprobs.get("text_offset").toString());
        JsonNode top = logprobs.get("top_logprobs");
        assertEquals(3, top.size());
        assertEquals("{\"Hel\":-0.5,\"He\":-1.25}", top.get(0).toString());
        assertEquals("{\"p\":-0.125,\"lo\":-0.25}", top.get(1).toString());
        // the chosen token was not among the alternatives, and OpenAI always lists it
        assertEquals("{\"!\":-0.75,\".\":-1.5,\" world\":-2.0}", top.get(2).toString());
    }

    @Test
    void logprobsZeroListsOnlyTheChosenToken() {
        JsonNode top = read(OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "ab", "stop", List.of(token("a", -1f), token("b", -2f)))),
                new Usage(1, 2))).get("choices").get(0).get("logprobs").get("top_logprobs");
        assertEquals("[{\"a\":-1.0},{\"b\":-2.0}]", top.toString());
    }

    @Test
    void textOffsetCountsCodePoints() {
        // an emoji is one character to Python's len() and two UTF-16 chars to Java's length()
        List<TokenLogprob> tokens = List.of(token("🎉", -1f), token("é", -1f), token("x", -1f));
        JsonNode logprobs = read(OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "🎉éx", "stop", tokens)), new Usage(1, 3)))
                .get("choices").get(0).get("logprobs");
        assertEquals("[0,1,2]", logprobs.get("text_offset").toString());
    }

    @Test
    void minusInfinityIsClampedToAPlainNumber() {
        List<TokenLogprob> tokens = List.of(new TokenLogprob("a", new byte[] {'a'}, Float.NEGATIVE_INFINITY,
                List.of(new TopLogprob("b", new byte[] {'b'}, Float.NaN))));
        byte[] json = OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "a", "stop", tokens)), new Usage(1, 1));
        String text = new String(json, StandardCharsets.UTF_8);
        assertFalse(text.contains("Infinity") || text.contains("NaN"), text);
        JsonNode logprobs = read(json).get("choices").get(0).get("logprobs");
        assertEquals(-9999.0, logprobs.get("token_logprobs").get(0).doubleValue());
        assertTrue(logprobs.get("token_logprobs").get(0).isNumber());
        assertEquals(-9999.0, logprobs.get("top_logprobs").get(0).get("b").doubleValue());
    }

    @Test
    void roundingAboveZeroIsClampedToZero() {
        List<TokenLogprob> tokens = List.of(token("a", Float.POSITIVE_INFINITY), token("b", 1e-7f));
        String text = new String(OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "ab", "stop", tokens)), new Usage(1, 2)), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"token_logprobs\":[0.0,0.0]"), text);
    }

    @Test
    void floatsAreWrittenShortNotWidened() {
        List<TokenLogprob> tokens = List.of(token("a", -0.1f));
        String text = new String(OpenAiResponses.completion("c", 1L, "m",
                List.of(new ChoiceOutput(0, "a", "stop", tokens)), new Usage(1, 1)), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"token_logprobs\":[-0.1]"), text);
    }

    @Test
    void streamedChunkHasOneChoiceAndNoUsage() {
        JsonNode root = read(OpenAiResponses.completionChunk("cmpl-9", 42L, "m",
                new ChoiceOutput(2, " wor", null, null)));
        assertEquals("text_completion", root.get("object").textValue());
        assertEquals("cmpl-9", root.get("id").textValue());
        assertEquals(42L, root.get("created").longValue());
        assertFalse(root.has("usage"));
        JsonNode choice = root.get("choices").get(0);
        assertEquals(1, root.get("choices").size());
        assertEquals(2, choice.get("index").intValue());
        assertEquals(" wor", choice.get("text").textValue());
        assertTrue(choice.get("logprobs").isNull());
        assertTrue(choice.has("finish_reason") && choice.get("finish_reason").isNull());
    }

    @Test
    void streamedChunkOffsetsContinueFromTheTextSoFar() {
        JsonNode logprobs = read(OpenAiResponses.completionChunk("c", 1L, "m",
                new ChoiceOutput(0, "cd", "length", List.of(token("c", -1f), token("d", -1f))), 7))
                .get("choices").get(0).get("logprobs");
        assertEquals("[7,8]", logprobs.get("text_offset").toString());
    }

    @Test
    void usageChunkHasNoChoices() {
        JsonNode root = read(OpenAiResponses.usageChunk("cmpl-9", 42L, "m", false, new Usage(3, 4)));
        assertEquals("text_completion", root.get("object").textValue());
        assertTrue(root.get("choices").isArray());
        assertEquals(0, root.get("choices").size());
        assertEquals(7, root.get("usage").get("total_tokens").intValue());
    }
}
