package dev.cascade.engine.cascade;

import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.TokenEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator over stages that are not models here (as remote stages are): fakes that answer at once. */
class CascadeEvaluatorTest {

    /** Answers every prompt with {@code text}, each token at {@code logprob}, reporting 10 prompt tokens as a remote's usage would. */
    static EvalStage answering(String text, float logprob, AtomicInteger calls) {
        return (prompt, maxTokens, listener) -> {
            calls.incrementAndGet();
            float[] lps = {logprob, logprob};
            for (float lp : lps) {
                listener.onToken(new TokenEvent(0, 0, "", lp), null);
            }
            listener.onFinish(new Completion(text, new int[2], lps, FinishReason.STOP, 10));
            return () -> { };
        };
    }

    static List<EvalItem> items(int n) {
        List<EvalItem> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new EvalItem(100 + i, "Q: item " + i + (i % 2 == 0 ? " with a long tail of many more words\nA:" : "\nA:"), " yes", "easy",
                    "exact"));
        }
        return out;
    }

    @Test
    void stagesWithoutATokenizerRouteByAboutFourCharactersAToken() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger last = new AtomicInteger();
        // prompts of 40 characters or more (10 "tokens") start at the last stage
        CascadeSpec spec = new CascadeSpec("two", List.of(new StageSpec("a", LogprobScorers.min(), -1, 0.1, 0.1),
                new StageSpec("b", LogprobScorers.min(), Double.NEGATIVE_INFINITY, 1, 1)), CascadeSpec.Fallback.LAST, true,
                List.of(new RouteRule(null, 10, 1)));
        List<EvalItem> items = items(6);
        var results = new CascadeEvaluator(spec, List.of(answering(" yes", -0.1f, first), answering(" no", -0.1f, last)), 8, 4)
                .run(items, null);
        assertEquals(6, results.size());
        for (var r : results) {
            boolean isLong = r.item().prompt().length() >= 40;
            assertEquals(isLong ? 1 : 0, r.cascade().answeredBy(), r.item().prompt());
            assertEquals(!isLong, r.correct());
            assertEquals(false, r.aloneCorrect());
            assertEquals(10 + 2, r.aloneCost(), 1e-9, "the last stage's cost from its reported usage");
        }
        assertEquals(3, first.get());
        assertEquals(3 + 6, last.get(), "the routed items, then every item alone");
    }

    @Test
    void aFailingStageStopsTheRunNamingTheItem() {
        AtomicInteger calls = new AtomicInteger();
        EvalStage down = (prompt, maxTokens, listener) -> {
            calls.incrementAndGet();
            listener.onError(new IllegalStateException("remote (http://nowhere/v1) did not answer"));
            return () -> { };
        };
        CascadeSpec spec = new CascadeSpec("two", List.of(new StageSpec("a", LogprobScorers.min(), -1, 0.1, 0.1),
                new StageSpec("remote", LogprobScorers.min(), Double.NEGATIVE_INFINITY, 1, 1)), CascadeSpec.Fallback.LAST);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> new CascadeEvaluator(spec, List.of(answering(" no", -5f, new AtomicInteger()), down), 8, 2).run(items(50), null));
        assertTrue(e.getMessage().startsWith("the item at index 0 (id 100) failed through two: remote (http://nowhere/v1) did not answer"),
                e.getMessage());
        assertEquals(1, calls.get(), "nothing more is sent after the first failure");
        assertTrue(e.getCause() instanceof IllegalStateException, "the stage's own error is the cause");
    }
}
