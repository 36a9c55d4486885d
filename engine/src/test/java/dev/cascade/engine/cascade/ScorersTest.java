package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every scorer on hand-made answers. */
class ScorersTest {
    static StageAnswer answer(String text, float... logprobs) {
        return new StageAnswer(text, logprobs);
    }

    @Test
    void meanAndMinLogprob() {
        StageAnswer a = answer(" 85", -0.1f, -0.5f, -0.3f);
        assertEquals(-0.3, LogprobScorers.mean().score(a), 1e-6);
        assertEquals(-0.5, LogprobScorers.min().score(a), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, LogprobScorers.mean().score(answer("")));
        assertEquals(Double.NEGATIVE_INFINITY, LogprobScorers.min().score(answer("")));
    }

    @Test
    void minLogprobKnowsWhenItsThresholdIsOutOfReach() {
        Scorer min = LogprobScorers.min();
        float[] stream = {-0.1f, -0.2f, -2.5f, -0.1f};
        assertEquals(Double.POSITIVE_INFINITY, min.bestReachable(stream, 0));
        assertEquals(-0.2, min.bestReachable(stream, 2), 1e-6);
        assertEquals(-2.5, min.bestReachable(stream, 3), 1e-6, "after the third token a -1.0 bar is out of reach");
        assertEquals(Double.POSITIVE_INFINITY, LogprobScorers.mean().bestReachable(stream, 3), "the mean can still rise");
    }

    @Test
    void jsonScorer() {
        Scorer json = FormatScorers.json();
        assertEquals(1, json.score(answer(" {\"a\": [1, 2]} ")));
        assertEquals(1, json.score(answer("42")));
        assertEquals(0, json.score(answer("{\"a\": 1")), "unterminated");
        assertEquals(0, json.score(answer("{\"a\": 1} trailing")), "text after the value");
        assertEquals(0, json.score(answer("")));
        assertEquals(0, json.score(answer("I think the answer is {\"a\":1}")));
    }

    @Test
    void regexScorers() {
        Scorer digits = FormatScorers.regex("^ \\d+$", true);
        assertEquals(1, digits.score(answer(" 1786")));
        assertEquals(0, digits.score(answer(" 17x6")));
        Scorer hedging = FormatScorers.regex("(?i)i don't know|not sure", false);
        assertEquals(1, hedging.score(answer("Paris.")));
        assertEquals(0, hedging.score(answer("I'm not sure, maybe Paris.")));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FormatScorers.regex("(", true));
        assertTrue(bad.getMessage().contains("not a valid pattern"), bad.getMessage());
    }

    @Test
    void combinations() {
        StageAnswer a = answer(" 85", -0.1f, -0.9f);
        Scorer min = LogprobScorers.min();
        Scorer digits = FormatScorers.regex("^ \\d+$", true);
        assertEquals(-0.9, CombinedScorer.all(List.of(min, digits)).score(a), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, CombinedScorer.any(List.of(min, digits)).score(a), "a passed gate is enough");
        assertEquals(-0.1, CombinedScorer.any(List.of(min, digits)).score(answer(" x", -0.1f)), 1e-6);
        assertEquals(1, CombinedScorer.all(List.of(digits, FormatScorers.json())).score(answer(" 85")), "gates only: 1 when all pass");
        assertEquals(0.5 * -0.9 + 2 * 1, CombinedScorer.weighted(List.of(min, digits), new double[] {0.5, 2}).score(a), 1e-6);
        assertEquals(Double.NEGATIVE_INFINITY, CombinedScorer.all(List.of(min, digits)).score(answer(" x", -0.1f)),
                "a failed format check sinks all, however confident the tokens");
        assertEquals(-0.9, CombinedScorer.all(List.of(min, digits)).bestReachable(new float[] {-0.1f, -0.9f}, 2), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, CombinedScorer.any(List.of(min, digits)).bestReachable(new float[] {-5f}, 1));
        assertThrows(IllegalArgumentException.class, () -> CombinedScorer.weighted(List.of(min), new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> CombinedScorer.all(List.of()));
        assertEquals("all[min_logprob, regex]", CombinedScorer.all(List.of(min, digits)).name());
    }
}
