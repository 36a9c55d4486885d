package dev.cascade.engine.cascade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.util.List;
import java.util.Optional;

/**
 * The {@code json} scorer with a {@code schema}: 1 when the whole answer is one JSON value that the
 * JSON Schema accepts, 0 otherwise. The schema's own {@code $schema} picks the draft (4, 6, 7,
 * 2019-09 or 2020-12); without one it is read as 2020-12.
 *
 * <p>The validator library (networknt json-schema-validator 2.0) works on the same Jackson 2
 * trees as the rest of the project.
 */
public final class JsonSchemaScorer implements Scorer {
    private static final SpecificationVersion DEFAULT = SpecificationVersion.DRAFT_2020_12;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(DEFAULT);
    /** A schema is one JSON value: text after it is an error, not silently dropped. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Scorer PARSES = FormatScorers.json();

    private final Schema schema;

    private JsonSchemaScorer(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles a schema. A schema that is not JSON, names an unknown draft, or breaks its draft's
     * meta-schema (a misspelt type, a string where a number belongs) is refused here, with the
     * reasons, rather than silently accepting or rejecting every answer later.
     */
    public static JsonSchemaScorer of(String schemaJson) {
        JsonNode node;
        try {
            node = JSON.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the schema is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("the schema is not JSON: it is empty");
        }
        return of(node);
    }

    /** Compiles a schema already read as a tree (an inline schema from the YAML config), refused as {@link #of(String)} refuses. */
    public static JsonSchemaScorer of(JsonNode node) {
        SpecificationVersion version = DEFAULT;
        if (node.isObject() && node.has("$schema")) {
            Optional<SpecificationVersion> named = SpecificationVersion.fromDialectId(node.get("$schema").asText());
            if (named.isEmpty()) {
                throw new IllegalArgumentException("the schema's $schema " + node.get("$schema") + " is not a JSON Schema draft "
                        + "known here (4, 6, 7, 2019-09, 2020-12)");
            }
            version = named.get();
        }
        try {
            List<Error> wrong = REGISTRY.getSchema(SchemaLocation.of(version.getDialectId())).validate(node);
            if (!wrong.isEmpty()) {
                throw new IllegalArgumentException("not a valid JSON Schema (" + version.getDialectId() + "): "
                        + String.join("; ", wrong.stream().limit(3).map(Error::toString).toList()));
            }
            return new JsonSchemaScorer(REGISTRY.getSchema(node));
        } catch (SchemaException e) {
            throw new IllegalArgumentException("the schema cannot be used: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "json_schema";
    }

    @Override
    public boolean gate() {
        return true;
    }

    @Override
    public double score(StageAnswer answer) {
        return PARSES.score(answer) >= 1 && violations(answer.text()).isEmpty() ? 1 : 0;
    }

    /** Why an answer that parses as JSON breaks the schema (empty when it does not). */
    public List<String> violations(String text) {
        return schema.validate(text.strip(), InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
