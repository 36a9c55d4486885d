package dev.cascade.weights.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helper: renders a template with variables given as a JSON object. */
final class Render {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Render() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test variables: " + json, e);
        }
    }

    static String render(String template, String variablesJson) {
        return ChatTemplate.parse(template).render(variables(variablesJson));
    }

    static String render(String template) {
        return ChatTemplate.parse(template).render(Map.of());
    }

    static void assertRenders(String expected, String template) {
        assertEquals(expected, render(template), () -> "template: " + template);
    }

    static void assertRenders(String expected, String template, String variablesJson) {
        assertEquals(expected, render(template, variablesJson), () -> "template: " + template);
    }
}
