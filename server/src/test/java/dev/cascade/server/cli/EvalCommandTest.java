package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalCommandTest {

    /** stories260K's greedy continuations are known (llama2.c), so which items pass is known too. */
    @Test
    void accuracyByDifficultyAsJson(@TempDir Path dir) throws Exception {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        Path data = dir.resolve("eval.jsonl");
        Files.write(data, List.of(
                "{\"prompt\":\"Once upon a time\",\"answer\":\", there was a little girl named Lily.\",\"difficulty\":\"easy\",\"checker\":\"prefix\"}",
                "{\"prompt\":\"Lily and Tom\",\"answer\":\"were playing in the park.\",\"difficulty\":\"easy\",\"checker\":\"prefix\"}",
                "{\"prompt\":\"Once upon a time\",\"answer\":\"there was a dragon\",\"difficulty\":\"hard\",\"checker\":\"prefix\"}",
                "{\"prompt\":\"The cat\",\"answer\":\"the park\",\"difficulty\":\"hard\",\"checker\":\"contains\"}"));
        Path verdicts = dir.resolve("verdicts.jsonl");
        CliRun run = CliRun.of("eval", "--model", gguf, "--dataset", data.toString(), "--max-tokens", "16", "--batch", "3",
                "--json", "--output", verdicts.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode o = new ObjectMapper().readTree(run.out());
        assertEquals(4, o.get("items").asInt());
        assertEquals(0.75, o.get("accuracy").asDouble(), 1e-9);
        assertEquals(1.0, o.get("by_difficulty").get("easy").asDouble(), 1e-9);
        assertEquals(0.5, o.get("by_difficulty").get("hard").asDouble(), 1e-9);
        assertEquals(4 * 16, o.get("generated_tokens").asInt());
        List<String> lines = Files.readAllLines(verdicts);
        assertEquals(4, lines.size());
        assertTrue(lines.get(2).contains("\"correct\":false"), lines.get(2));
        assertTrue(run.err().contains("eval: 4/4 items"), run.err());
    }

    @Test
    void tableAndLimit(@TempDir Path dir) throws Exception {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        Path data = dir.resolve("eval.jsonl");
        Files.write(data, List.of(
                "{\"prompt\":\"Once upon a time\",\"answer\":\", there was\",\"difficulty\":\"easy\",\"checker\":\"prefix\"}",
                "{\"prompt\":\"Once upon a time\",\"answer\":\"dragon\",\"difficulty\":\"hard\",\"checker\":\"exact\"}"));
        CliRun run = CliRun.of("eval", "--model", gguf, "--dataset", data.toString(), "--max-tokens", "8", "--limit", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("easy               1    100.0%"), run.out());
        assertTrue(!run.out().contains("hard"), run.out());
    }

    @org.junit.jupiter.api.Test
    void theDemoCascadeAgainstItsLastStage() throws Exception {
        Path data = dev.cascade.weights.DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        CliRun run = CliRun.of("eval", "--model", "demo-cascade", "--dataset", data.toString(), "--limit", "200", "--json",
                "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertEquals(200, o.get("items").asInt());
        double relative = o.get("cost_relative_to_last_stage").asDouble();
        assertTrue(relative > 0 && relative < 0.5, "tiny answers most items, so the cascade costs far less: " + relative);
        double escalation = o.get("escalation_rate").asDouble();
        assertTrue(escalation > 0 && escalation < 0.5, "some items, not most, escalate: " + escalation);
        double sum = 0;
        for (var e : o.get("answered_by_stage")) {
            sum += e.asDouble();
        }
        assertEquals(1.0, sum, 1e-9);
        assertTrue(o.at("/answered_by_stage/demo-tiny").asDouble() > 0.5);
        double base = o.at("/last_stage_alone/accuracy").asDouble();
        assertTrue(o.get("accuracy").asDouble() >= base - 0.05, o.toString());
        assertTrue(o.has("by_difficulty") && o.at("/latency_ms/p95").asDouble() > 0);
    }

    @org.junit.jupiter.api.Test
    void aCascadeFromAConfig(@TempDir Path dir) throws Exception {
        Path data = dev.cascade.weights.DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path config = dir.resolve("serve.yaml");
        java.nio.file.Files.writeString(config, """
                models:
                  - name: t
                    model: demo-tiny
                  - name: b
                    model: demo-base
                cascades:
                  - name: two
                    early_escalation: false
                    stages:
                      - model: t
                        threshold: -0.4
                        cost_per_generated_token: 0.03
                      - model: b
                        cost_per_generated_token: 1
                """);
        CliRun run = CliRun.of("eval", "--config", config.toString(), "--model", "two", "--dataset", data.toString(),
                "--limit", "60", "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertEquals(List.of("t", "b"), iterableNames(o.get("answered_by_stage")));
        assertEquals(0, o.get("early_escalations").asInt());
        assertEquals("b", o.at("/last_stage_alone/model").asText());
        CliRun missing = CliRun.of("eval", "--config", config.toString(), "--model", "three", "--dataset", data.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no cascade named three"), missing.err());
    }

    @org.junit.jupiter.api.Test
    void aCascadeWithAJudgeThatIsNotAStage(@TempDir Path dir) throws Exception {
        Path data = dev.cascade.weights.DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path config = dir.resolve("serve.yaml");
        // demo-small, loaded for judging only, is asked to copy the answer: "yes" is a leading Y,
        // which few of the demo set's answers have, so nearly every item goes on to demo-base
        java.nio.file.Files.writeString(config, """
                models:
                  - model: demo-tiny
                  - model: demo-small
                  - model: demo-base
                cascades:
                  - name: judged
                    stages:
                      - model: demo-tiny
                        scorer: judge
                        judge:
                          model: demo-small
                          template: "Q: copy{answer}\\nA: "
                          yes: [Y]
                          cost_per_prompt_token: 0.1
                          cost_per_generated_token: 0.1
                        threshold: 0.5
                        cost_per_generated_token: 0.03
                      - model: demo-base
                        cost_per_generated_token: 1
                """);
        CliRun run = CliRun.of("eval", "--config", config.toString(), "--model", "judged", "--dataset", data.toString(),
                "--limit", "40", "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertTrue(o.get("escalation_rate").asDouble() > 0.8, o.toString());
        // every item pays tiny and a judge prompt of 10 or more tokens at 0.1: over 1 a item before demo-base
        assertTrue(o.get("cost").asDouble() > o.at("/last_stage_alone/cost").asDouble() * o.get("escalation_rate").asDouble() + 40,
                o.toString());
    }

    private static List<String> iterableNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
