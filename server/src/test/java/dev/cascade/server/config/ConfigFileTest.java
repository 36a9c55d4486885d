package dev.cascade.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void readsEverySetting() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, """
                host: 0.0.0.0
                port: 9000
                backend: cpu
                threads: 2
                api_keys: [k1, k2]
                api_keys_env: MY_KEYS
                kv_memory: 2g
                max_seqs: 8
                max_batched_tokens: 256
                max_waiting: 10
                max_body: 1m
                shutdown_grace: 5s
                block_size: 32
                models:
                  - name: tiny
                    model: demo-tiny
                    kv_memory: 64m
                    max_seqs: 4
                  - model: models/demo/small
                """);
        ServeConfig c = ConfigFile.load(f);
        assertEquals("0.0.0.0", c.host());
        assertEquals(9000, c.port());
        assertEquals(List.of("k1", "k2"), c.apiKeys());
        assertEquals("MY_KEYS", c.apiKeysEnv());
        assertEquals(8, c.maxSeqs());
        assertEquals(256, c.maxBatchedTokens());
        assertEquals(10, c.maxWaiting());
        assertEquals(32, c.blockSize());
        assertEquals("tiny", c.models().get(0).apiName());
        assertEquals(4, c.models().get(0).maxSeqs());
        assertEquals("64m", c.models().get(0).kvMemory());
        assertEquals("small", c.models().get(1).apiName(), "the name defaults to the folder's");
        assertNull(c.models().get(1).maxSeqs());
        assertEquals(2L << 30, ByteSize.parse(c.kvMemory(), "kv_memory"));
        assertEquals(Duration.ofSeconds(5), Durations.parse(c.shutdownGrace(), "shutdown_grace"));
    }

    @Test
    void mistakesAreNamedWithTheirLine() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "port: 8080\nmax_seq: 4\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(f));
        assertTrue(unknown.getMessage().contains("line 2") && unknown.getMessage().contains("'max_seq'"), unknown.getMessage());

        Files.writeString(f, "port: eighty\n");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(f));
        assertTrue(type.getMessage().contains("line 1"), type.getMessage());

        Files.writeString(f, "models:\n  - name: x\n");
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(f));
        assertTrue(noModel.getMessage().contains("models[0] needs 'model'"), noModel.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ConfigFile.load(dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().contains("no such config file"), missing.getMessage());
    }

    @Test
    void sizesAndDurations() {
        assertEquals(512L << 20, ByteSize.parse("512m", "x"));
        assertEquals(3L << 29, ByteSize.parse("1.5GiB", "x"));
        assertEquals(4096, ByteSize.parse("4096", "x"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("lots", "--kv-memory"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-1g", "--kv-memory"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "x"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m", "x"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30", "x"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon", "--shutdown-grace"));
    }

    @Test
    void cascadesAreReadAndCheckedByName() throws Exception {
        Path f = dir.resolve("cascade.yaml");
        Files.writeString(f, """
                models:
                  - model: demo-tiny
                  - model: demo-base
                cascades:
                  - name: mine
                    fallback: best
                    stages:
                      - model: demo-tiny
                        scorer: min_logprob
                        threshold: -0.4
                        cost_per_prompt_token: 0.03
                        cost_per_generated_token: 0.03
                      - model: demo-base
                        cost_per_generated_token: 1
                """);
        var spec = Cascades.spec(ConfigFile.load(f).cascades().getFirst());
        assertEquals("mine", spec.name());
        assertEquals(dev.cascade.engine.cascade.CascadeSpec.Fallback.BEST, spec.fallback());
        assertEquals(-0.4, spec.stages().get(0).threshold());
        assertEquals("min_logprob", spec.stages().get(0).scorer().name());
        assertEquals(0.03 * 10 + 0.03 * 5, spec.stages().get(0).cost(10, 5), 1e-9);
        assertEquals(Double.NEGATIVE_INFINITY, spec.stages().get(1).threshold(), "the last stage is unconditional");

        IllegalArgumentException noThreshold = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(
                new CascadeSettings("c", List.of(new StageSettings("a", null, null, null, null, null),
                        new StageSettings("b", null, null, null, null, null)), null)));
        assertTrue(noThreshold.getMessage().contains("stage 1 needs 'threshold'"), noThreshold.getMessage());
        IllegalArgumentException badScorer = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(
                new CascadeSettings("c", List.of(new StageSettings("a", "vibes", null, 0.0, null, null)), null)));
        assertTrue(badScorer.getMessage().contains("unknown scorer 'vibes'"), badScorer.getMessage());
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(
                new CascadeSettings("c", List.of(new StageSettings("a", "regex", null, 0.0, null, null)), null)));
        assertTrue(regex.getMessage().contains("needs 'pattern'"), regex.getMessage());
        var stages = List.of(new StageSettings("a", null, null, -1.0, null, null), new StageSettings("b", null, null, null, null, null));
        var routed = Cascades.spec(new CascadeSettings("c", stages, null, null,
                List.of(new RouteSettings(null, 100, "b"), new RouteSettings("(?i)prove", null, "b"))));
        assertEquals(1, routed.firstStage("short", 150));
        assertEquals(1, routed.firstStage("Prove it", 3));
        assertEquals(0, routed.firstStage("short", 3));
        IllegalArgumentException badRoute = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(
                new CascadeSettings("c", stages, null, null, List.of(new RouteSettings("x", null, "z")))));
        assertTrue(badRoute.getMessage().contains("start_at must name one of its stages' models"), badRoute.getMessage());
        IllegalArgumentException emptyRoute = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(
                new CascadeSettings("c", stages, null, null, List.of(new RouteSettings(null, null, "b")))));
        assertTrue(emptyRoute.getMessage().contains("needs 'regex' or 'min_prompt_tokens'"), emptyRoute.getMessage());
    }

    @Test
    void combinedScorersFromTheConfig() throws Exception {
        Path f = dir.resolve("combined.yaml");
        Files.writeString(f, """
                models:
                  - model: demo-tiny
                  - model: demo-base
                cascades:
                  - name: strict
                    stages:
                      - model: demo-tiny
                        scorer: all
                        parts:
                          - scorer: min_logprob
                          - scorer: regex
                            pattern: '^ [0-9A-Z]+$'
                        threshold: -0.5
                      - model: demo-base
                """);
        var spec = Cascades.spec(ConfigFile.load(f).cascades().getFirst());
        var scorer = spec.stages().getFirst().scorer();
        assertEquals("all[min_logprob, regex]", scorer.name());
        assertEquals(-0.1, scorer.score(new dev.cascade.engine.cascade.StageAnswer(" 85", new float[] {-0.1f})), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, scorer.score(new dev.cascade.engine.cascade.StageAnswer(" 8 5", new float[] {-0.1f})));
        IllegalArgumentException noWeight = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                List.of(new StageSettings("a", "weighted", null, 0.0, null, null, null, null, null, null,
                        List.of(new ScorerPart("json", null, null)))), null)));
        assertTrue(noWeight.getMessage().contains("needs 'weight'"), noWeight.getMessage());
        IllegalArgumentException noParts = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                List.of(new StageSettings("a", "any", null, 0.0, null, null)), null)));
        assertTrue(noParts.getMessage().contains("needs 'parts'"), noParts.getMessage());
    }

    @Test
    void aLearnedRouterIsReadTrainedOrNot() throws Exception {
        String stages = """
                cascades:
                  - name: r
                    stages:
                      - model: demo-tiny
                        threshold: -0.5
                      - model: demo-small
                        threshold: -0.5
                      - model: demo-base
                    router:
                      type: learned
                      start_at: demo-base
                """;
        Path untrained = dir.resolve("untrained.yaml");
        Files.writeString(untrained, stages);
        var settings = ConfigFile.load(untrained).cascades().getFirst();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(settings));
        assertTrue(refused.getMessage().contains("cascade r, router has no weights yet; train it with cascade calibrate"),
                refused.getMessage());
        assertEquals(null, Cascades.spec(settings, true).router(), "calibrate takes it untrained");
        assertEquals(2, Cascades.routerStage(settings));

        Path trained = dir.resolve("trained.yaml");
        Files.writeString(trained, stages + """
                      threshold: 0.6
                      buckets: 64
                      weights: {3: 1.5, 17: -0.25}
                      length_weight: 0.5
                      bias: -2
                """);
        var spec = Cascades.spec(ConfigFile.load(trained).cascades().getFirst());
        var router = spec.router();
        assertEquals(2, router.stage());
        assertEquals(0.6, router.threshold());
        var expected = dev.cascade.engine.cascade.PromptClassifier.ofSparse(64, java.util.Map.of(3, 1.5, 17, -0.25), 0.5, -2);
        assertEquals(expected.probability("Q: 38*47\nA:"), router.failureProbability("Q: 38*47\nA:"), 1e-15);
        assertEquals(1.5, router.classifier().weights()[3]);
        // length_weight 0.5, bias -2: a long prompt is likely to fail, a short one is not
        String longPrompt = "x".repeat(2000);
        assertTrue(expected.probability(longPrompt) > 0.6 && expected.probability("hi") < 0.6);
        var sent = spec.start(longPrompt, 500);
        assertEquals(2, sent.stage());
        assertEquals("router", sent.by());
        assertEquals(expected.probability(longPrompt), sent.routerProbability(), 1e-15);
        var kept = spec.start("hi", 2);
        assertEquals(0, kept.stage());
        assertEquals("default", kept.by());

        Path wrong = dir.resolve("wrong.yaml");
        Files.writeString(wrong, stages.replace("type: learned", "type: vibes"));
        IllegalArgumentException badType = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(wrong).cascades().getFirst(), true));
        assertTrue(badType.getMessage().contains("type must be learned"), badType.getMessage());
        Files.writeString(wrong, stages.replace("start_at: demo-base", "start_at: demo-tiny"));
        IllegalArgumentException first = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(wrong).cascades().getFirst(), true));
        assertTrue(first.getMessage().contains("a later stage than the first"), first.getMessage());
        Files.writeString(wrong, stages + """
                      threshold: 0.6
                      buckets: 8
                      weights: {9: 1.0}
                      bias: 0
                """);
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(wrong).cascades().getFirst()));
        assertTrue(outside.getMessage().contains("cascade r, router: router weight for bucket 9 is outside 0..7"), outside.getMessage());
    }

    @Test
    void aJsonScorerWithASchemaInlineOrInAFile() throws Exception {
        Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(dir.resolve("schemas/answer.json"), """
                {"type": "object", "properties": {"answer": {"type": "integer"}}, "required": ["answer"]}
                """);
        Path f = dir.resolve("schema.yaml");
        Files.writeString(f, """
                cascades:
                  - name: structured
                    stages:
                      - model: demo-tiny
                        scorer: json
                        schema:
                          type: object
                          properties:
                            answer: {type: integer, minimum: 0}
                          required: [answer]
                        threshold: 1
                      - model: demo-small
                        scorer: json
                        schema_file: schemas/answer.json
                        threshold: 1
                      - model: demo-base
                        scorer: all
                        parts:
                          - scorer: min_logprob
                          - scorer: json
                            schema: {type: array}
                """);
        var spec = Cascades.spec(ConfigFile.load(f).cascades().getFirst());
        var inline = spec.stages().get(0).scorer();
        assertEquals("json_schema", inline.name());
        assertEquals(1, inline.score(answer("{\"answer\": 85}")));
        assertEquals(0, inline.score(answer("{\"answer\": -85}")), "below the inline minimum");
        assertEquals(0, inline.score(answer("{\"answer\": \"85\"}")));
        assertEquals(0, inline.score(answer("85")));
        var fromFile = spec.stages().get(1).scorer();
        assertEquals(1, fromFile.score(answer("{\"answer\": -85}")), "the file's schema has no minimum");
        assertEquals(0, fromFile.score(answer("{\"reply\": 85}")));
        var combined = spec.stages().get(2).scorer();
        assertEquals(-0.1, combined.score(answer("[1, 2]")), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, combined.score(answer("{}")));

        Files.writeString(f, """
                cascades:
                  - name: broken
                    stages:
                      - model: demo-tiny
                        threshold: 1
                      - model: demo-base
                        scorer: json
                        schema: {type: strnig}
                """);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(f).cascades().getFirst()));
        assertTrue(bad.getMessage().startsWith("cascade broken, stage 2: not a valid JSON Schema"), bad.getMessage());
        Files.writeString(f, """
                cascades:
                  - name: missing
                    stages:
                      - model: demo-tiny
                        scorer: json
                        schema_file: nowhere.json
                """);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(f).cascades().getFirst()));
        assertTrue(missing.getMessage().startsWith("cascade missing, stage 1: cannot read schema_file ")
                && missing.getMessage().contains(dir.resolve("nowhere.json").toString()), missing.getMessage());
        Files.writeString(f, """
                cascades:
                  - name: misplaced
                    stages:
                      - model: demo-tiny
                        schema: {type: object}
                """);
        IllegalArgumentException misplaced = assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(ConfigFile.load(f).cascades().getFirst()));
        assertTrue(misplaced.getMessage().contains("stage 1: 'schema' and 'schema_file' go with scorer json, not min_logprob"),
                misplaced.getMessage());
    }

    private static dev.cascade.engine.cascade.StageAnswer answer(String text) {
        return new dev.cascade.engine.cascade.StageAnswer(text, new float[] {-0.1f});
    }

    @Test
    void aJudgeScorerNamesAServedModel() throws Exception {
        Path f = dir.resolve("judge.yaml");
        Files.writeString(f, """
                cascades:
                  - name: judged
                    stages:
                      - model: demo-tiny
                        scorer: judge
                        judge:
                          model: demo-small
                          template: "Q: copy{answer}\\nA: "
                          yes: [Y]
                        threshold: 0.5
                        cost_per_prompt_token: 0.03
                        cost_per_generated_token: 0.04
                      - model: demo-small
                        scorer: judge
                        judge: {model: demo-tiny, yes: [Y]}
                        threshold: 0.5
                        cost_per_prompt_token: 0.1
                        cost_per_generated_token: 0.2
                      - model: demo-base
                """);
        var settings = ConfigFile.load(f).cascades().getFirst();
        var j = settings.stages().getFirst().judge();
        assertEquals("demo-small", j.model());
        assertEquals("Q: copy{answer}\nA: ", j.template());
        assertEquals(List.of("Y"), j.yes());
        IllegalArgumentException notServed = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(settings));
        assertTrue(notServed.getMessage().contains("cascade judged, stage 1: the judge demo-small must be a model served here"),
                notServed.getMessage());

        try (var tiny = dev.cascade.weights.ModelLoader.open("demo-tiny", null)) {
            // the judges' tokenizer is all the spec reads; their loops are asked only when an answer is judged
            var spec = Cascades.spec(settings, false, name -> new dev.cascade.engine.cascade.JudgeModel(name, null, tiny.tokenizer()));
            var first = (dev.cascade.engine.cascade.JudgeScorer) spec.stages().get(0).scorer();
            assertEquals("judge", first.name());
            assertEquals("Q: copy 85\nA: ", first.prompt(answer(" 85")));
            assertEquals(2, first.yesTokens().length, "Y and y");
            assertEquals(0.1 * 10 + 0.2, first.cost(10), 1e-12, "demo-small judges at its own stage's prices");
            var second = (dev.cascade.engine.cascade.JudgeScorer) spec.stages().get(1).scorer();
            assertEquals(0.03 * 10 + 0.04, second.cost(10), 1e-12, "demo-tiny judges at its own stage's prices");
            var q = new dev.cascade.engine.cascade.StageAnswer(" 85", new float[0], "Q: 40+45");
            assertEquals(dev.cascade.engine.cascade.JudgeScorer.DEFAULT_TEMPLATE.replace("{question}", "Q: 40+45").replace("{answer}", " 85"),
                    second.prompt(q), "the default template");
            // the default yes word is not in the demo vocabulary
            IllegalArgumentException noYes = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                    List.of(new StageSettings("demo-small", "judge", null, 0.5, 0.1, 0.1, null, null, null, null, null, null, null,
                            new dev.cascade.server.config.JudgeSettings("demo-small", null, null, null, null)),
                            settings.stages().get(2)), null), false,
                    name -> new dev.cascade.engine.cascade.JudgeModel(name, null, tiny.tokenizer())));
            assertTrue(noYes.getMessage().contains("stage 1: the judge model demo-small has no token whose text is [Yes]"),
                    noYes.getMessage());
            IllegalArgumentException noPrice = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                    List.of(settings.stages().get(0), settings.stages().get(2)), null), false,
                    name -> new dev.cascade.engine.cascade.JudgeModel(name, null, tiny.tokenizer())));
            assertTrue(noPrice.getMessage().contains("the judge demo-small is not a stage of this cascade; give its cost_per_prompt_token"),
                    noPrice.getMessage());
        }
        IllegalArgumentException noJudge = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                List.of(new StageSettings("a", "judge", null, 0.5, null, null)), null)));
        assertTrue(noJudge.getMessage().contains("scorer judge needs 'judge' with its 'model'"), noJudge.getMessage());
        IllegalArgumentException misplaced = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                List.of(new StageSettings("a", "min_logprob", null, 0.5, null, null, null, null, null, null, null, null, null,
                        new dev.cascade.server.config.JudgeSettings("b", null, null, null, null))), null)));
        assertTrue(misplaced.getMessage().contains("'judge' goes with scorer judge"), misplaced.getMessage());
    }

    @Test
    void aJudgeCanBeAPartOfACombinedScorer() throws Exception {
        Path f = dir.resolve("judge-part.yaml");
        Files.writeString(f, """
                cascades:
                  - name: checked
                    stages:
                      - model: demo-tiny
                        scorer: all
                        parts:
                          - scorer: regex
                            pattern: "^ ?[0-9]+$"
                          - scorer: judge
                            judge: {model: demo-small, yes: [Y], cost_per_prompt_token: 0.1, cost_per_generated_token: 0.2}
                        threshold: 0.5
                        cost_per_prompt_token: 0.03
                        cost_per_generated_token: 0.04
                      - model: demo-base
                """);
        var settings = ConfigFile.load(f).cascades().getFirst();
        IllegalArgumentException notServed = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(settings));
        assertTrue(notServed.getMessage().contains("cascade checked, stage 1, part 2: the judge demo-small must be a model served here"),
                notServed.getMessage());
        try (var tiny = dev.cascade.weights.ModelLoader.open("demo-tiny", null)) {
            var spec = Cascades.spec(settings, false, name -> new dev.cascade.engine.cascade.JudgeModel(name, null, tiny.tokenizer()));
            var all = (dev.cascade.engine.cascade.CombinedScorer) spec.stages().getFirst().scorer();
            assertEquals(dev.cascade.engine.cascade.CombinedScorer.Mode.ALL, all.mode());
            var judge = (dev.cascade.engine.cascade.JudgeScorer) all.parts().get(1);
            assertEquals(0.1 * 10 + 0.2, judge.cost(10), 1e-12, "the part's own judge prices");
            // a failed format gate decides without asking the judge (whose loop here is null)
            var verdict = all.scoreAsync(answer(" no")).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Double.NEGATIVE_INFINITY, verdict.score());
            assertEquals(0, verdict.cost());
        }
        IllegalArgumentException misplaced = assertThrows(IllegalArgumentException.class, () -> Cascades.spec(new CascadeSettings("c",
                List.of(new StageSettings("a", "all", null, 0.5, null, null, null, null, null, null,
                        List.of(new ScorerPart("json", null, null, null, null,
                                new dev.cascade.server.config.JudgeSettings("b", null, null, null, null))))), null)));
        assertTrue(misplaced.getMessage().contains("stage 1, part 1: 'judge' goes with scorer judge, not json"), misplaced.getMessage());
    }
}
