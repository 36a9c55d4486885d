package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Scheduler;
import dev.cascade.engine.generate.SchedulerLimits;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * demo-tiny as a judge. It was trained on copying, so with the template "Q: copy{answer}\nA: " it
 * is asked to copy the answer, and its probability that the next token is "Y" says whether the
 * answer starts with Y: a judge whose verdict is known in advance, and whose probability is checked
 * against a softmax computed here from the model's own logits.
 */
class JudgeScorerTest {
    static final String TEMPLATE = "Q: copy{answer}\nA: ";
    static Model model;
    static ServingLoop loop;
    static Transformer direct;
    static KvLayout directLayout;
    static JudgeScorer judge;

    @BeforeAll
    static void start() {
        model = ModelLoader.load(DemoModels.folder("demo-tiny"), null);
        var c = model.config();
        KvLayout layout = new KvLayout(c.layers(), 64, 16, c.kvHeads(), c.headDim());
        loop = new ServingLoop(new Scheduler(new Transformer(model, new CpuBackend(1), layout, 128), model.tokenizer(),
                EndTokens.of(model), layout, new SchedulerLimits(8, 128)), 64, "judge-test");
        directLayout = new KvLayout(c.layers(), 8, 16, c.kvHeads(), c.headDim());
        direct = new Transformer(model, new CpuBackend(1), directLayout, 128);
        judge = new JudgeScorer(new JudgeModel("demo-tiny", loop, model.tokenizer()), TEMPLATE, List.of("Y"), 0.25, 2);
    }

    @AfterAll
    static void stop() {
        loop.close();
        direct.close();
        model.close();
    }

    /** p(Y or y) at the position after the prompt, from one prefill through the transformer and a softmax in doubles. */
    static double expectedYes(String prompt) {
        int[] ids = model.tokenizer().encode(prompt, true);
        BlockAllocator blocks = new BlockAllocator(directLayout.blocks());
        BlockTable table = new BlockTable(directLayout.blocks());
        assertTrue(table.ensureCapacity(ids.length, directLayout.blockSize(), blocks));
        StepPlan plan = new StepPlan(direct.maxRows(), 1, directLayout.blocks(), directLayout.blockSize());
        plan.addSequence(table.array(), table.count(), ids, 0, ids.length, 0, true);
        float[] logits = new float[model.config().vocabSize()];
        direct.forward(plan, logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l - max);
        }
        int upper = model.tokenizer().tokenId("Y");
        int lower = model.tokenizer().tokenId("y");
        return (Math.exp(logits[upper] - max) + Math.exp(logits[lower] - max)) / z;
    }

    @Test
    void theYesTokensAreThoseWhoseTextIsTheWord() {
        int[] expected = {model.tokenizer().tokenId("Y"), model.tokenizer().tokenId("y")};
        Arrays.sort(expected);
        assertArrayEquals(expected, judge.yesTokens());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new JudgeScorer(
                new JudgeModel("demo-tiny", loop, model.tokenizer()), JudgeScorer.DEFAULT_TEMPLATE, JudgeScorer.DEFAULT_YES, 0, 0));
        assertTrue(none.getMessage().contains("has no token whose text is [Yes]"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JudgeScorer(new JudgeModel("demo-tiny", loop, model.tokenizer()),
                "no placeholder", List.of("Y"), 0, 0));
    }

    @Test
    void itsScoreIsTheSoftmaxProbabilityOfYes() throws Exception {
        for (String answer : List.of(" YES", " YQZ", " NO", " KXQ", " yes", "")) {
            StageAnswer a = new StageAnswer(answer, new float[0], "Is it so?");
            Scored s = judge.scoreAsync(a).get(30, TimeUnit.SECONDS);
            double expected = expectedYes(judge.prompt(a));
            assertTrue(s.score() >= 0 && s.score() <= 1, answer + ": " + s.score());
            assertEquals(expected, s.score(), 1e-5, answer);
            int promptTokens = model.tokenizer().encode(judge.prompt(a), true).length;
            assertEquals(0.25 * promptTokens + 2, s.cost(), 1e-12, "the judge's prompt and its one token");
        }
        StageAnswer yes = new StageAnswer(" YES", new float[0]);
        StageAnswer no = new StageAnswer(" NO", new float[0]);
        assertTrue(judge.score(yes) > 0.5, "copying YES starts with Y: " + judge.score(yes));
        assertTrue(judge.score(no) < 0.05, "copying NO does not: " + judge.score(no));
        assertEquals("Q: copy NO\nA: ", judge.prompt(no));
    }

    @Test
    void scoringFromTheJudgesOwnSchedulerThreadDoesNotWaitForIt() throws Exception {
        // a stage answer finishing on the judge's own loop asks that loop to judge it: blocking there would never end
        CompletableFuture<Scored> verdict = new CompletableFuture<>();
        loop.submit(0, GenerationRequest.greedy(model.tokenizer().encode("Q: copy YES\nA:", true), 8), new SequenceListener() {
            @Override
            public void onToken(TokenEvent event, Sample sample) {
            }

            @Override
            public void onFinish(Completion c) {
                judge.scoreAsync(new StageAnswer(c.text(), c.logprobs())).whenComplete((s, e) -> {
                    if (e != null) {
                        verdict.completeExceptionally(e);
                    } else {
                        verdict.complete(s);
                    }
                });
            }

            @Override
            public void onError(RuntimeException error) {
                verdict.completeExceptionally(error);
            }
        });
        Scored s = verdict.get(30, TimeUnit.SECONDS);
        assertTrue(s.score() > 0.5, "tiny copies YES, and its judge says so: " + s.score());
    }

    @Test
    void aPromptTooLongForTheJudgeFailsTheVerdictNotTheCaller() {
        CompletableFuture<Scored> f = judge.scoreAsync(new StageAnswer(" " + "Y".repeat(200), new float[0]));
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("context"), e.getCause().getMessage());
    }
}
