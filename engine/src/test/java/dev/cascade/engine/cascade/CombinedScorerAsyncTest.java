package dev.cascade.engine.cascade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Combined scorers over a part that scores later on another thread, as a judge does. */
class CombinedScorerAsyncTest {

    /** Scores 0.7 at a cost of 2.5, on its own thread once released; refuses to be asked synchronously. */
    private static final class LateScorer implements Scorer {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public String name() {
            return "late";
        }

        @Override
        public double score(StageAnswer answer) {
            throw new AssertionError("a combined scorer must not block on a part that scores asynchronously");
        }

        @Override
        public CompletableFuture<Scored> scoreAsync(StageAnswer answer) {
            asked.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return new Scored(0.7, 2.5);
            });
        }
    }

    private static StageAnswer answer(String text, float... logprobs) {
        return new StageAnswer(text, logprobs);
    }

    @Test
    void partsScoredLaterAreCombinedWithTheirCosts() throws Exception {
        LateScorer late = new LateScorer();
        Scorer min = LogprobScorers.min();
        StageAnswer a = answer(" 85", -0.2f, -0.9f);

        CompletableFuture<Scored> all = CombinedScorer.all(List.of(min, late)).scoreAsync(a);
        CompletableFuture<Scored> any = CombinedScorer.any(List.of(min, late)).scoreAsync(a);
        CompletableFuture<Scored> weighted = CombinedScorer.weighted(List.of(min, late), new double[] {0.5, 2}).scoreAsync(a);
        assertFalse(all.isDone(), "the calling thread is not held while the part scores");
        late.release.countDown();

        Scored s = all.get(10, TimeUnit.SECONDS);
        assertEquals(-0.9, s.score(), 1e-6, "all: the lowest graded score");
        assertEquals(2.5, s.cost(), 1e-12, "the cost the part reported");
        assertEquals(0.7, any.get(10, TimeUnit.SECONDS).score(), 1e-6, "any: the highest graded score");
        assertEquals(0.5 * -0.9 + 2 * 0.7, weighted.get(10, TimeUnit.SECONDS).score(), 1e-6);
        assertEquals(3, late.asked.get());
    }

    @Test
    void aDecidingGateSparesTheOtherParts() throws Exception {
        LateScorer late = new LateScorer();
        Scorer digits = FormatScorers.regex("^ ?[0-9]+$", true);

        Scored failedAll = CombinedScorer.all(List.of(late, digits)).scoreAsync(answer(" no", -0.1f)).get(10, TimeUnit.SECONDS);
        assertEquals(Double.NEGATIVE_INFINITY, failedAll.score());
        assertEquals(0, failedAll.cost());
        Scored passedAny = CombinedScorer.any(List.of(late, digits)).scoreAsync(answer(" 42", -0.1f)).get(10, TimeUnit.SECONDS);
        assertEquals(Double.POSITIVE_INFINITY, passedAny.score());
        assertEquals(0, late.asked.get(), "the judge-like part was never asked");

        CompletableFuture<Scored> undecided = CombinedScorer.all(List.of(late, digits)).scoreAsync(answer(" 42", -0.1f));
        late.release.countDown();
        assertEquals(0.7, undecided.get(10, TimeUnit.SECONDS).score(), 1e-6, "a passed gate leaves all to the graded part");
        assertTrue(late.asked.get() == 1);
    }
}
