package dev.cascade.engine.cascade;

import dev.cascade.engine.eval.Checkers;
import dev.cascade.engine.eval.EvalDataset;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Scheduler;
import dev.cascade.engine.generate.SchedulerLimits;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cascade over the demo family, whose outcomes are known: easy items stop at tiny, hard ones go on. */
class CascadeRunTest {
    static final String[] NAMES = {"demo-tiny", "demo-small", "demo-base"};
    static final List<Model> models = new ArrayList<>();
    static final List<ServingLoop> loops = new ArrayList<>();
    static List<EvalItem> items;

    @BeforeAll
    static void start() throws Exception {
        for (String name : NAMES) {
            Model m = ModelLoader.load(DemoModels.folder(name), null);
            KvLayout layout = new KvLayout(m.config().layers(), 64, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, new CpuBackend(1), layout, 128);
            models.add(m);
            loops.add(new ServingLoop(new Scheduler(t, m.tokenizer(), EndTokens.of(m), layout, new SchedulerLimits(8, 128)),
                    64, name));
        }
        items = EvalDataset.read(DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl"));
    }

    @AfterAll
    static void stop() {
        loops.forEach(ServingLoop::close);
        models.forEach(Model::close);
    }

    static CascadeSpec spec(double threshold, CascadeSpec.Fallback fallback) {
        return spec(LogprobScorers.min(), threshold, fallback);
    }

    static CascadeSpec spec(Scorer scorer, double threshold, CascadeSpec.Fallback fallback) {
        List<StageSpec> stages = new ArrayList<>();
        double[] costs = {0.0335, 0.122, 1.0}; // parameters relative to demo-base
        for (int i = 0; i < NAMES.length; i++) {
            stages.add(new StageSpec(NAMES[i], scorer, threshold, costs[i], costs[i]));
        }
        return new CascadeSpec("demo-cascade", stages, fallback);
    }

    static CascadeResult run(CascadeSpec spec, String prompt) throws Exception {
        List<CascadeRun.StageStarter> starters = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            Model m = models.get(i);
            ServingLoop loop = loops.get(i);
            starters.add(listener -> loop.submit(0, GenerationRequest.greedy(m.tokenizer().encode(prompt, true), 24), listener)::cancel);
        }
        CompletableFuture<CascadeResult> done = new CompletableFuture<>();
        new CascadeRun(spec, starters, new CascadeRun.Listener() {
            @Override
            public void onStage(int index) {
            }

            @Override
            public void onFinished(CascadeResult result) {
                done.complete(result);
            }

            @Override
            public void onError(RuntimeException error) {
                done.completeExceptionally(error);
            }
        }, 0).start();
        return done.get(60, TimeUnit.SECONDS);
    }

    static List<EvalItem> of(String difficulty, int n) {
        return items.stream().filter(i -> i.difficulty().equals(difficulty)).limit(n).toList();
    }

    @Test
    void easyItemsStopAtTinyAndHardOnesEscalate() throws Exception {
        CascadeSpec spec = spec(-0.5, CascadeSpec.Fallback.LAST);
        int easyAtTiny = 0;
        for (EvalItem item : of("easy", 20)) {
            CascadeResult r = run(spec, item.prompt());
            if (r.answeredBy() == 0) {
                easyAtTiny++;
                assertEquals(1, r.stages().size());
                assertTrue(r.stages().getFirst().accepted());
            }
            assertTrue(Checkers.check(item.checker(), r.answer().text(), item.answer()), item.prompt() + " -> " + r.answer().text());
        }
        assertTrue(easyAtTiny >= 18, "easy items answered by tiny: " + easyAtTiny + "/20");
        int escalated = 0;
        for (EvalItem item : of("hard", 20)) {
            CascadeResult r = run(spec, item.prompt());
            if (r.answeredBy() > 0) {
                escalated++;
                StageTrace tiny = r.stages().getFirst();
                assertTrue(!tiny.accepted() && tiny.score() < -0.5, tiny.toString());
                assertEquals(r.answeredBy() + 1, r.stages().size());
            }
            assertTrue(r.cost() > 0);
        }
        assertTrue(escalated >= 15, "hard items escalated past tiny: " + escalated + "/20");
    }

    @Test
    void whenEveryStageRejectsTheFallbackAnswers() throws Exception {
        // log-probabilities are at most 0: a threshold of 1 rejects everything (mean_logprob: no
        // early escalation, so every stage finishes its answer)
        String prompt = of("hard", 1).getFirst().prompt();
        CascadeResult last = run(spec(LogprobScorers.mean(), 1, CascadeSpec.Fallback.LAST), prompt);
        assertEquals(2, last.answeredBy());
        assertEquals(3, last.stages().size());
        assertTrue(last.stages().stream().noneMatch(StageTrace::accepted));
        assertTrue(last.stages().stream().noneMatch(StageTrace::earlyEscalated));
        CascadeResult best = run(spec(LogprobScorers.mean(), 1, CascadeSpec.Fallback.BEST), prompt);
        int bestIndex = 0;
        for (int i = 0; i < 3; i++) {
            if (best.stages().get(i).score() > best.stages().get(bestIndex).score()) {
                bestIndex = i;
            }
        }
        assertEquals(bestIndex, best.answeredBy());
    }

    @Test
    void aMinLogprobStageStopsAsSoonAsItsThresholdIsOutOfReach() throws Exception {
        // threshold just below 0: the first token that is not near-certain ends tiny's turn
        for (EvalItem item : of("hard", 10)) {
            CascadeResult r = run(spec(-0.05, CascadeSpec.Fallback.LAST), item.prompt());
            StageTrace tiny = r.stages().getFirst();
            if (tiny.earlyEscalated()) {
                CascadeResult full = run(spec(Double.NEGATIVE_INFINITY, CascadeSpec.Fallback.LAST), item.prompt());
                assertTrue(tiny.generatedTokens() < full.stages().getFirst().generatedTokens(),
                        "stopped early: " + tiny.generatedTokens() + " of " + full.stages().getFirst().generatedTokens());
                // counted up to the first token below the threshold, however late the abort landed
                float[] lp = full.answer().logprobs();
                int decided = 0;
                while (lp[decided] >= -0.05) {
                    decided++;
                }
                assertEquals(decided + 1, tiny.generatedTokens(), "tokens charged to the early-escalated stage");
                assertTrue(r.answeredBy() > 0);
                return;
            }
        }
        throw new AssertionError("no hard item escalated early at a -0.05 threshold");
    }

    @Test
    void earlyEscalationCanBeTurnedOff() throws Exception {
        CascadeSpec on = spec(-0.05, CascadeSpec.Fallback.LAST);
        CascadeSpec off = new CascadeSpec(on.name(), on.stages(), on.fallback(), false);
        for (EvalItem item : of("hard", 5)) {
            CascadeResult r = run(off, item.prompt());
            assertTrue(r.stages().stream().noneMatch(StageTrace::earlyEscalated), r.stages().toString());
            assertEquals(run(on, item.prompt()).answer().text(), r.answer().text(), "the same answer either way");
        }
    }
}
