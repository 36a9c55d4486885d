package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a combined scorer (scorer: all, any or weighted): a scorer name, its pattern, its
 * weight, for json a schema (inline or in a file), and for judge the judging model.
 */
public record ScorerPart(String scorer, String pattern, Double weight, JsonNode schema, @JsonProperty("schema_file") String schemaFile,
                         JudgeSettings judge) {

    public ScorerPart(String scorer, String pattern, Double weight) {
        this(scorer, pattern, weight, null, null, null);
    }

    ScorerPart resolvedAgainst(java.nio.file.Path dir) {
        return new ScorerPart(scorer, pattern, weight, schema, schemaFile == null ? null : dir.resolve(schemaFile).toString(), judge);
    }
}
