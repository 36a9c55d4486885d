package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Threshold search on hand-made records whose best thresholds are known. */
class ThresholdSearchTest {
    // 4 items; stage 0 (cost 1) right on items 0,1 with high scores, wrong on 2,3 with low scores;
    // stage 1 (cost 10) right on everything.
    static final ThresholdSearch.Records R = new ThresholdSearch.Records(
            new boolean[][] {{true, true, false, false}, {true, true, true, true}},
            new double[][] {{-0.1, -0.2, -2.0, -3.0}, {-0.1, -0.1, -0.1, -0.1}},
            new double[][] {{1, 1, 1, 1}, {10, 10, 10, 10}});

    @Test
    void simulatesACascadeExactly() {
        ThresholdSearch.Outcome o = ThresholdSearch.simulate(R, new double[] {-1, 0});
        assertEquals(1.0, o.accuracy());
        assertEquals((4 * 1 + 2 * 10) / 40.0, o.relativeCost(), 1e-12, "every item pays stage 0, two also stage 1");
        assertEquals(0.5, o.escalationRate());
        assertArrayEquals(new double[] {0.5, 0.5}, o.answeredBy());
        ThresholdSearch.Outcome all0 = ThresholdSearch.simulate(R, new double[] {Double.NEGATIVE_INFINITY, 0});
        assertEquals(0.5, all0.accuracy());
        assertEquals(0.1, all0.relativeCost(), 1e-12);
    }

    @Test
    void findsTheCheapestThresholdsAtATargetAccuracy() {
        ThresholdSearch.Outcome o = ThresholdSearch.search(R, new ThresholdSearch.Goal.TargetAccuracy(1.0), 10);
        assertEquals(1.0, o.accuracy());
        assertEquals(0.6, o.relativeCost(), 1e-12);
        assertEquals(-0.2, o.thresholds()[0], 1e-12, "the lowest score that still rejects both wrong answers");
    }

    @Test
    void findsTheBestAccuracyUnderACostOrEscalationCap() {
        assertEquals(0.5, ThresholdSearch.search(R, new ThresholdSearch.Goal.MaxCost(0.2), 10).accuracy());
        assertEquals(0.75, ThresholdSearch.search(R, new ThresholdSearch.Goal.MaxEscalationRate(0.25), 10).accuracy());
        assertNull(ThresholdSearch.search(R, new ThresholdSearch.Goal.MaxCost(0.05), 10), "nothing is that cheap");
    }

    @Test
    void precisionAndRecallOfAScorer() {
        double[] pr = ThresholdSearch.precisionRecall(R.correct()[0], R.score()[0], -2.5);
        assertEquals(2 / 3.0, pr[0], 1e-12);
        assertEquals(1.0, pr[1], 1e-12);
    }
}
