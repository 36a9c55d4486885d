package dev.cascade.server.openai;

import dev.cascade.engine.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cascade.server.openai.TestJson.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionParsingTest {

    private static CompletionRequest parse(String body) {
        return OpenAiRequests.parseCompletion(body(body), Limits.DEFAULT);
    }

    @Test
    void minimalBodyTakesOpenAiDefaults() {
        CompletionRequest r = parse("{'model':'tiny','prompt':'Once upon'}");
        assertEquals("tiny", r.model());
        assertEquals(List.of("Once upon"), r.prompts());
        Generation g = r.generation();
        assertNull(g.maxTokens());
        assertEquals(new SamplingParams(1f, 0, 1f, 0f, 1f, 0f, 0f, null, 0), g.sampling());
        assertEquals(List.of(), g.stop());
        assertEquals(1, g.n());
        assertFalse(g.stream());
        assertFalse(g.includeUsage());
        assertEquals(LogprobsMode.NONE, g.logprobs());
        assertFalse(g.ignoreEos());
        assertNull(g.user());
    }

    @Test
    void everyParameter() {
        CompletionRequest r = parse("""
                {'model':'tiny','prompt':['a','b'],'max_tokens':7,'temperature':0.5,'top_p':0.9,'top_k':40,
                 'min_p':0.05,'seed':12345678901,'repetition_penalty':1.1,'presence_penalty':-0.5,
                 'frequency_penalty':1.5,'stop':['\\n','END'],'n':3,'stream':true,
                 'stream_options':{'include_usage':true},'logprobs':2,'user':'u-1','ignore_eos':true,
                 'echo':false,'suffix':'','best_of':3}""");
        assertEquals(List.of("a", "b"), r.prompts());
        Generation g = r.generation();
        assertEquals(7, g.maxTokens());
        assertEquals(new SamplingParams(0.5f, 40, 0.9f, 0.05f, 1.1f, -0.5f, 1.5f, 12345678901L, 2), g.sampling());
        assertEquals(List.of("\n", "END"), g.stop());
        assertEquals(3, g.n());
        assertTrue(g.stream());
        assertTrue(g.includeUsage());
        assertEquals(LogprobsMode.of(2), g.logprobs());
        assertTrue(g.ignoreEos());
        assertEquals("u-1", g.user());
    }

    @Test
    void nullsReadAsAbsent() {
        CompletionRequest r = parse("""
                {'model':'m','prompt':'p','max_tokens':null,'temperature':null,'stop':null,'n':null,
                 'stream':null,'stream_options':null,'logprobs':null,'seed':null,'user':null,'echo':null,
                 'suffix':null,'best_of':null}""");
        Generation g = r.generation();
        assertNull(g.maxTokens());
        assertEquals(1f, g.sampling().temperature());
        assertEquals(List.of(), g.stop());
        assertEquals(1, g.n());
        assertEquals(LogprobsMode.NONE, g.logprobs());
    }

    @Test
    void stopAsOneString() {
        assertEquals(List.of("###"), parse("{'model':'m','prompt':'p','stop':'###'}").generation().stop());
    }

    @Test
    void topKMinusOneAndZeroBothMeanOff() {
        assertEquals(0, parse("{'model':'m','prompt':'p','top_k':-1}").generation().sampling().topK());
        assertEquals(0, parse("{'model':'m','prompt':'p','top_k':0}").generation().sampling().topK());
    }

    @Test
    void temperatureZeroIsGreedy() {
        assertTrue(parse("{'model':'m','prompt':'p','temperature':0}").generation().sampling().greedy());
    }

    @Test
    void logprobsZeroStillAsksForTheChosenToken() {
        Generation g = parse("{'model':'m','prompt':'p','logprobs':0}").generation();
        assertEquals(new LogprobsMode(true, 0), g.logprobs());
        assertEquals(0, g.sampling().topLogprobs());
    }

    @Test
    void logprobsFiveIsTheMostAllowed() {
        Generation g = parse("{'model':'m','prompt':'p','logprobs':5}").generation();
        assertEquals(5, g.sampling().topLogprobs());
    }

    @Test
    void unknownFieldsAreIgnored() {
        CompletionRequest r = parse("{'model':'m','prompt':'p','logit_bias':{'1':2},'whatever':[1,{}]}");
        assertEquals("m", r.model());
    }

    @Test
    void bestOfOneIsFineWithAnyN() {
        assertEquals(2, parse("{'model':'m','prompt':'p','n':2,'best_of':1}").generation().n());
    }

    @Test
    void emptyStringPromptIsAPrompt() {
        assertEquals(List.of(""), parse("{'model':'m','prompt':''}").prompts());
    }

    @Test
    void unicodePromptSurvives() {
        assertEquals(List.of("héllo 世界 🎉"), parse("{'model':'m','prompt':'héllo 世界 🎉'}").prompts());
    }

    @Test
    void limitsAreTheCaller() {
        Limits wide = new Limits(100, 3);
        CompletionRequest r = OpenAiRequests.parseCompletion(
                body("{'model':'m','prompt':['a','b','c'],'n':100}"), wide);
        assertEquals(100, r.generation().n());
        assertEquals(3, r.prompts().size());
    }
}
