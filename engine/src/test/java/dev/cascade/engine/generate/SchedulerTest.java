package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Continuous batching on stories260K: whatever the scheduler does to a request (chunk its prompt,
 * batch it with others, preempt and recompute it), its output equals the output it has alone.
 */
class SchedulerTest {
    static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Tom and Sue went to the park",
            "A girl named", "One day, the sun", "The big red ball rolled", "Mom said", "In a small house there lived");

    static Model model;
    static List<Completion> alone;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        model = ModelLoader.load(dir.resolve("stories260K.bin"), dir.resolve("tok512.bin"));
        alone = new ArrayList<>();
        for (GenerationRequest r : requests()) {
            alone.add(run(new SchedulerLimits(1, 64), 64, List.of(r)).completions.getFirst());
        }
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    static List<GenerationRequest> requests() {
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            // greedy for most; two seeded samplers, whose random state must survive a preemption too
            SamplingParams p = i % 4 == 3 ? new SamplingParams(0.9f, 40, 0.95f, 0f, 1f, 0f, 0f, 100L + i, 3)
                    : SamplingParams.GREEDY;
            out.add(new GenerationRequest(model.tokenizer().encode(PROMPTS.get(i), true), p, 40 + 10 * (i % 3), List.of(), false));
        }
        return out;
    }

    record Run(List<Completion> completions, Scheduler scheduler, int maxRunning) {
    }

    static Run run(SchedulerLimits limits, int blocks, List<GenerationRequest> requests) {
        KvLayout layout = new KvLayout(model.config().layers(), blocks, 16, model.config().kvHeads(), model.config().headDim());
        Transformer t = new Transformer(model, Backends.create("cpu", 2).backend(), layout, 64);
        Scheduler s = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout, limits);
        Completion[] done = new Completion[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            int index = i;
            s.add(i, requests.get(i), collector(c -> done[index] = c));
        }
        int maxRunning = 0;
        while (s.step()) {
            maxRunning = Math.max(maxRunning, s.running());
        }
        t.close();
        return new Run(List.of(done), s, maxRunning);
    }

    static SequenceListener collector(java.util.function.Consumer<Completion> onFinish) {
        return new SequenceListener() {
            @Override
            public void onToken(TokenEvent event, Sample sample) {
            }

            @Override
            public void onFinish(Completion completion) {
                onFinish.accept(completion);
            }

            @Override
            public void onError(RuntimeException error) {
                throw error;
            }
        };
    }

    static void assertSameAsAlone(List<Completion> got) {
        for (int i = 0; i < got.size(); i++) {
            assertNotNull(got.get(i), "request " + i + " did not finish");
            assertArrayEquals(alone.get(i).tokens(), got.get(i).tokens(), "tokens of request " + i);
            assertArrayEquals(alone.get(i).logprobs(), got.get(i).logprobs(), "logprobs of request " + i);
            assertEquals(alone.get(i).text(), got.get(i).text(), "text of request " + i);
            assertEquals(alone.get(i).finishReason(), got.get(i).finishReason(), "finish reason of request " + i);
        }
    }

    @Test
    void batchedRequestsMatchTheirRunsAlone() {
        Run r = run(new SchedulerLimits(8, 64), 64, requests());
        assertSameAsAlone(r.completions());
        assertEquals(8, r.maxRunning(), "all eight should run at once");
        assertEquals(0, r.scheduler().preemptions());
        assertEquals(0, r.scheduler().allocator().used(), "every block back in the pool");
    }

    @Test
    void chunkedPrefillUnderATinyTokenBudget() {
        Run r = run(new SchedulerLimits(8, 3), 64, requests());
        assertSameAsAlone(r.completions());
    }

    @Test
    void theSequenceCapHolds() {
        Run r = run(new SchedulerLimits(3, 64), 64, requests());
        assertSameAsAlone(r.completions());
        assertEquals(3, r.maxRunning());
    }

    @Test
    void aKvCacheTooSmallForAllPreemptsAndStillEveryRequestIsRight() {
        // 6 blocks = 96 tokens: one request needs up to ~60, eight at once cannot fit
        Run r = run(new SchedulerLimits(8, 64), 6, requests());
        assertSameAsAlone(r.completions());
        assertTrue(r.scheduler().preemptions() > 0, "expected preemptions");
        assertEquals(0, r.scheduler().allocator().used());
    }

    @Test
    void abortReturnsBlocksAtOnceAndLeavesTheOthersAlone() {
        List<GenerationRequest> requests = requests();
        KvLayout layout = new KvLayout(model.config().layers(), 64, 16, model.config().kvHeads(), model.config().headDim());
        Transformer t = new Transformer(model, Backends.create("cpu", 2).backend(), layout, 64);
        Scheduler s = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout, new SchedulerLimits(8, 64));
        Completion[] done = new Completion[requests.size()];
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            int index = i;
            seqs.add(s.add(i, requests.get(i), collector(c -> done[index] = c)));
        }
        for (int i = 0; i < 20; i++) {
            s.step();
        }
        int before = s.allocator().used();
        int held = seqs.get(2).blocks.count();
        assertTrue(held > 0);
        s.abort(seqs.get(2));
        assertEquals(before - held, s.allocator().used());
        assertEquals(FinishReason.ABORT, done[2].finishReason());
        assertEquals(20, done[2].tokens().length, "it had generated one token per step");
        while (s.step()) {
            // the rest run on
        }
        done[2] = alone.get(2);
        assertSameAsAlone(List.of(done));
        assertEquals(0, s.allocator().used());
        t.close();
    }

    @Test
    void requestsThatCannotRunAreRefusedWithTheReason() {
        KvLayout layout = new KvLayout(model.config().layers(), 2, 16, model.config().kvHeads(), model.config().headDim());
        Transformer t = new Transformer(model, Backends.create("scalar", 1).backend(), layout, 64);
        Scheduler s = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout, new SchedulerLimits(2, 64));
        int context = model.config().contextLength();
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> s.validate(GenerationRequest.greedy(new int[context], 1)));
        assertTrue(tooLong.getMessage().contains("context is " + context), tooLong.getMessage());
        IllegalArgumentException kv = assertThrows(IllegalArgumentException.class,
                () -> s.validate(GenerationRequest.greedy(new int[] {1, 2}, 100)));
        assertTrue(kv.getMessage().contains("KV cache"), kv.getMessage());
        IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class,
                () -> s.validate(GenerationRequest.greedy(new int[] {1, 100000}, 1)));
        assertTrue(vocab.getMessage().contains("outside the vocabulary"), vocab.getMessage());
        t.close();
    }

    @Test
    void controlTokensGeneratedPastIgnoreEosAddNoText() {
        try (Model tiny = ModelLoader.open("demo-tiny", null)) {
            KvLayout layout = new KvLayout(tiny.config().layers(), 8, 16, tiny.config().kvHeads(), tiny.config().headDim());
            Transformer t = new Transformer(tiny, Backends.create("cpu", 1).backend(), layout, 64);
            Generator g = new Generator(t, tiny.tokenizer(), EndTokens.of(tiny), layout, 1);
            int[] prompt = tiny.tokenizer().encode("Q: copy AB\nA:", true);
            Completion c = g.generate(List.of(new GenerationRequest(prompt, SamplingParams.GREEDY, 12, List.of(), true)), null)
                    .getFirst();
            assertTrue(java.util.Arrays.stream(c.tokens()).anyMatch(id -> id == 2), "EOS should be generated past ignore_eos");
            assertTrue(c.text().startsWith(" AB"), c.text());
            assertTrue(!c.text().contains("</s>"), c.text());
            t.close();
        }
    }

    /**
     * Prompts that share a long opening: with prefix caching the later ones take the opening's KV
     * blocks instead of computing them, and every completion equals the request's run alone
     * without the cache (the kernels are batch invariant, so cached keys and values are the very
     * ones a recomputation gives). Also when the requests come one after another, so each finds the
     * blocks the previous one released.
     */
    @Test
    void sharedPrefixesAreComputedOnceAndChangeNothing() {
        String opening = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
                + "with her friends. One day, ";
        List<String> endings = List.of("she saw a big dog", "it started to rain", "her mom called her", "a bird sang",
                "Tom found a ball");
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < endings.size(); i++) {
            SamplingParams p = i == 2 ? new SamplingParams(0.8f, 20, 0.9f, 0f, 1f, 0f, 0f, 7L, 0) : SamplingParams.GREEDY;
            requests.add(new GenerationRequest(model.tokenizer().encode(opening + endings.get(i), true), p, 30, List.of(), false));
        }
        int openingTokens = model.tokenizer().encode(opening, true).length;
        assertTrue(openingTokens >= 32, "the opening spans full blocks: " + openingTokens + " tokens");
        List<Completion> uncached = new ArrayList<>();
        for (GenerationRequest r : requests) {
            Run one = run(new SchedulerLimits(1, 64, false), 64, List.of(r));
            assertEquals(0, one.scheduler().prefixCacheQueriedTokens());
            uncached.add(one.completions().getFirst());
        }
        Run together = run(new SchedulerLimits(8, 64), 64, requests);
        Run inTurn = run(new SchedulerLimits(1, 64), 64, requests);
        for (Run r : List.of(together, inTurn)) {
            for (int i = 0; i < requests.size(); i++) {
                assertArrayEquals(uncached.get(i).tokens(), r.completions().get(i).tokens(), "tokens of request " + i);
                assertArrayEquals(uncached.get(i).logprobs(), r.completions().get(i).logprobs(), "logprobs of request " + i);
                assertEquals(uncached.get(i).text(), r.completions().get(i).text(), "text of request " + i);
            }
            assertEquals(0, r.scheduler().allocator().used(), "every block released");
        }
        int fullBlocks = openingTokens / 16 * 16;
        // admitted together, those in the first step compute the opening themselves; later ones find it
        assertTrue(together.scheduler().prefixCacheHitTokens() >= 2L * fullBlocks,
                together.scheduler().prefixCacheHitTokens() + " tokens found in the cache");
        assertTrue(inTurn.scheduler().prefixCacheHitTokens() >= (long) (requests.size() - 1) * fullBlocks,
                inTurn.scheduler().prefixCacheHitTokens() + " tokens found in the cache, one request after another");
    }
}
