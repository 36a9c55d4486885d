package dev.cascade.weights.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders every case of chat/expected.jsonl (written by tools/chat-template-compare with
 * @huggingface/jinja, cross-checked with Python's jinja2) and requires byte-for-byte equality,
 * or the same raise_exception message where the reference refused the conversation.
 */
class ChatTemplateConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() throws IOException {
        List<Map<String, Object>> cases = new ArrayList<>();
        try (InputStream in = ChatTemplateConformanceTest.class.getResourceAsStream("/chat/expected.jsonl")) {
            assertTrue(in != null, "chat/expected.jsonl is missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    cases.add(JSON.readValue(line, Map.class));
                }
            }
        }
        return cases;
    }

    /** The template text a case names: a test resource, or a tokenizer_config.json under ../shared. */
    private static String templateSource(String reference, Map<String, String> cache) throws IOException {
        String cached = cache.get(reference);
        if (cached != null) {
            return cached;
        }
        String source;
        if (reference.startsWith("resource:")) {
            try (InputStream in = ChatTemplateConformanceTest.class.getResourceAsStream("/" + reference.substring(9))) {
                assertTrue(in != null, "missing test resource " + reference);
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else if (reference.startsWith("shared:")) {
            var config = JSON.readTree(Files.readString(SharedData.require(reference.substring(7))));
            source = config.get("chat_template").asText();
        } else {
            throw new IllegalArgumentException("unknown template_source " + reference);
        }
        cache.put(reference, source);
        return source;
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTheReferenceRenderer() throws IOException {
        Map<String, String> sources = new HashMap<>();
        Map<String, ChatTemplate> parsed = new HashMap<>();
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                c.get("template") + " / " + c.get("conversation") + " / add_generation_prompt=" + c.get("add_generation_prompt"),
                () -> {
                    String reference = (String) c.get("template_source");
                    String source = templateSource(reference, sources);
                    ChatTemplate template = parsed.computeIfAbsent(reference, r -> ChatTemplate.parse(source));
                    List<ChatMessage> messages = new ArrayList<>();
                    for (Object m : (List<Object>) c.get("messages")) {
                        messages.add(ChatMessage.fromMap((Map<String, Object>) m));
                    }
                    boolean addGenerationPrompt = (Boolean) c.get("add_generation_prompt");
                    Map<String, Object> extra = (Map<String, Object>) c.get("extra");
                    if (c.containsKey("error")) {
                        TemplateRaisedException e = assertThrows(TemplateRaisedException.class,
                                () -> template.render(messages, addGenerationPrompt, extra));
                        assertEquals(c.get("error"), e.getMessage());
                    } else {
                        assertEquals(c.get("expected"), template.render(messages, addGenerationPrompt, extra));
                    }
                }));
    }

    @Test
    void theDataCoversEverySharedTemplate() throws IOException {
        List<Map<String, Object>> cases = cases();
        assumeTrue(Files.isDirectory(SharedData.root().resolve("tokenizers")), "../shared/tokenizers is absent");
        List<String> withTemplates = new ArrayList<>();
        try (var folders = Files.list(SharedData.root().resolve("tokenizers"))) {
            for (var folder : folders.sorted().toList()) {
                var config = folder.resolve("tokenizer_config.json");
                if (Files.exists(config) && JSON.readTree(Files.readString(config)).path("chat_template").isTextual()) {
                    withTemplates.add(folder.getFileName().toString());
                }
            }
        }
        assertTrue(withTemplates.size() >= 4, "expected at least 4 shared chat templates, found " + withTemplates);
        for (String name : withTemplates) {
            assertTrue(cases.stream().anyMatch(c -> name.equals(c.get("template"))),
                    "expected.jsonl has no case for " + name + "; regenerate it with tools/chat-template-compare");
        }
    }
}
