package dev.cascade.server.openai;

import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.weights.chat.ChatMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.cascade.server.openai.TestJson.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatParsingTest {

    private static ChatRequest parse(String body) {
        return OpenAiRequests.parseChat(body(body), Limits.DEFAULT);
    }

    @Test
    void conversationBecomesTemplateMessages() {
        ChatRequest r = parse("""
                {'model':'chat','messages':[
                  {'role':'system','content':'Be brief.'},
                  {'role':'user','content':'Hi','name':'ann'},
                  {'role':'assistant','content':'Hello!'},
                  {'role':'user','content':'2+2?'}]}""");
        assertEquals("chat", r.model());
        assertEquals(List.of(
                ChatMessage.system("Be brief."),
                new ChatMessage("user", "Hi", Map.of("name", "ann")),
                ChatMessage.assistant("Hello!"),
                ChatMessage.user("2+2?")), r.messages());
    }

    @Test
    void defaults() {
        Generation g = parse("{'model':'m','messages':[{'role':'user','content':'x'}]}").generation();
        assertNull(g.maxTokens());
        assertEquals(new SamplingParams(1f, 0, 1f, 0f, 1f, 0f, 0f, null, 0), g.sampling());
        assertEquals(LogprobsMode.NONE, g.logprobs());
        assertEquals(1, g.n());
    }

    @Test
    void textPartsAreJoinedByNewlines() {
        ChatRequest r = parse("""
                {'model':'m','messages':[{'role':'user','content':[
                  {'type':'text','text':'first'},{'type':'text','text':'second'}]}]}""");
        assertEquals("first\nsecond", r.messages().getFirst().content());
    }

    @Test
    void assistantMayHaveNullOrNoContent() {
        ChatRequest r = parse("""
                {'model':'m','messages':[{'role':'user','content':'q'},{'role':'assistant','content':null},
                  {'role':'assistant'}]}""");
        assertNull(r.messages().get(1).content());
        assertNull(r.messages().get(2).content());
    }

    @Test
    void developerIsTheSystemRoleForTemplates() {
        ChatRequest r = parse("{'model':'m','messages':[{'role':'developer','content':'rules'}]}");
        assertEquals(ChatMessage.system("rules"), r.messages().getFirst());
    }

    @Test
    void toolMessagesKeepTheirCallIds() {
        ChatRequest r = parse("""
                {'model':'m','messages':[
                  {'role':'assistant','content':null,'tool_calls':[{'id':'c1','type':'function',
                    'function':{'name':'f','arguments':'{}'}}]},
                  {'role':'tool','content':'42','tool_call_id':'c1'}]}""");
        ChatMessage call = r.messages().get(0);
        List<?> calls = (List<?>) call.fields().get("tool_calls");
        assertEquals("c1", ((Map<?, ?>) calls.getFirst()).get("id"));
        assertEquals(new ChatMessage("tool", "42", Map.of("tool_call_id", "c1")), r.messages().get(1));
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        String messages = "'messages':[{'role':'user','content':'x'}]";
        assertEquals(9, parse("{'model':'m'," + messages + ",'max_tokens':5,'max_completion_tokens':9}")
                .generation().maxTokens());
        assertEquals(5, parse("{'model':'m'," + messages + ",'max_tokens':5}").generation().maxTokens());
        assertEquals(9, parse("{'model':'m'," + messages + ",'max_completion_tokens':9}").generation().maxTokens());
    }

    @Test
    void logprobsWithoutTopLogprobsAsksForTheChosenTokenOnly() {
        Generation g = parse("{'model':'m','messages':[{'role':'user','content':'x'}],'logprobs':true}")
                .generation();
        assertEquals(new LogprobsMode(true, 0), g.logprobs());
        assertEquals(0, g.sampling().topLogprobs());
    }

    @Test
    void topLogprobsReachesTheSampler() {
        Generation g = parse("""
                {'model':'m','messages':[{'role':'user','content':'x'}],'logprobs':true,'top_logprobs':20}""")
                .generation();
        assertEquals(LogprobsMode.of(20), g.logprobs());
        assertEquals(20, g.sampling().topLogprobs());
    }

    @Test
    void logprobsFalseIsNone() {
        Generation g = parse("{'model':'m','messages':[{'role':'user','content':'x'}],'logprobs':false}")
                .generation();
        assertEquals(LogprobsMode.NONE, g.logprobs());
    }

    @Test
    void sharedFieldsWorkForChatToo() {
        Generation g = parse("""
                {'model':'m','messages':[{'role':'user','content':'x'}],'temperature':0,'seed':-3,
                 'stop':'\\n\\n','n':2,'stream':true,'stream_options':{'include_usage':false},'ignore_eos':true,
                 'user':'bob','presence_penalty':2,'frequency_penalty':-2,'repetition_penalty':0.9,
                 'min_p':1,'top_p':1,'top_k':5}""").generation();
        assertEquals(new SamplingParams(0f, 5, 1f, 1f, 0.9f, 2f, -2f, -3L, 0), g.sampling());
        assertEquals(List.of("\n\n"), g.stop());
        assertEquals(2, g.n());
        assertTrue(g.stream());
        assertEquals(false, g.includeUsage());
        assertTrue(g.ignoreEos());
        assertEquals("bob", g.user());
    }
}
