package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The json scorer with a schema: answers that parse and fit pass, everything else fails. */
class JsonSchemaScorerTest {
    static final String PERSON = """
            {"type": "object",
             "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0}},
             "required": ["name", "age"],
             "additionalProperties": false}
            """;

    static double score(Scorer s, String text) {
        return s.score(new StageAnswer(text, new float[] {-0.1f}));
    }

    @Test
    void acceptsOnlyAnswersThatFitTheSchema() {
        JsonSchemaScorer s = JsonSchemaScorer.of(PERSON);
        assertEquals("json_schema", s.name());
        assertTrue(s.gate());
        assertEquals(1, score(s, " {\"name\": \"Ada\", \"age\": 36}\n"));
        assertEquals(0, score(s, "{\"name\": \"Ada\"}"), "a required property is missing");
        assertEquals(0, score(s, "{\"name\": \"Ada\", \"age\": -1}"), "below the minimum");
        assertEquals(0, score(s, "{\"name\": \"Ada\", \"age\": 36, \"x\": 1}"), "no additional properties");
        assertEquals(0, score(s, "{\"name\": \"Ada\", \"age\": \"36\"}"), "a string is not an integer");
        assertEquals(0, score(s, "{\"name\": \"Ada\", \"age\": 36} and more"), "nothing may follow the value");
        assertEquals(0, score(s, "Ada is 36"), "not JSON at all");
        assertEquals(0, score(s, ""));
        assertTrue(s.violations("{\"name\": \"Ada\"}").toString().contains("age"), s.violations("{\"name\": \"Ada\"}").toString());
    }

    @Test
    void theSchemaNamesItsDraft() {
        // draft 4's exclusiveMaximum is a boolean; in 2020-12 it is a number
        JsonSchemaScorer draft4 = JsonSchemaScorer.of("""
                {"$schema": "http://json-schema.org/draft-04/schema#", "type": "number", "maximum": 10, "exclusiveMaximum": true}
                """);
        assertEquals(1, score(draft4, "9.5"));
        assertEquals(0, score(draft4, "10"));
        assertEquals(1, score(JsonSchemaScorer.of("{\"type\": \"array\", \"items\": {\"enum\": [\"a\", \"b\"]}}"), "[\"a\", \"b\", \"a\"]"));
        assertEquals(0, score(JsonSchemaScorer.of("false"), "{}"), "the schema false accepts nothing");
    }

    @Test
    void aBadSchemaIsRefusedWithTheReason() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> JsonSchemaScorer.of("{\"type\": \"strnig\"}"));
        assertTrue(typo.getMessage().startsWith("not a valid JSON Schema") && typo.getMessage().contains("type"), typo.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class, () -> JsonSchemaScorer.of("{\"minLength\": \"three\"}"));
        assertTrue(number.getMessage().contains("minLength"), number.getMessage());
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> JsonSchemaScorer.of("{type: string"));
        assertTrue(notJson.getMessage().startsWith("the schema is not JSON"), notJson.getMessage());
        IllegalArgumentException draft = assertThrows(IllegalArgumentException.class,
                () -> JsonSchemaScorer.of("{\"$schema\": \"https://example.com/my-draft\"}"));
        assertTrue(draft.getMessage().contains("is not a JSON Schema draft known here"), draft.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonSchemaScorer.of("5"), "a schema is an object or a boolean");
    }
}
