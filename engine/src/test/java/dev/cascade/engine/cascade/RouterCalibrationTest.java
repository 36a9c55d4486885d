package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calibrating a router on records where a word in the prompt predicts that the first stage fails. */
class RouterCalibrationTest {

    @Test
    void perItemStartStagesSkipAndDoNotPayEarlierStages() {
        // stage 0 right on item 0 only; stage 1 right on both
        ThresholdSearch.Records r = new ThresholdSearch.Records(new boolean[][] {{true, false}, {true, true}},
                new double[][] {{0, -5}, {0, 0}}, new double[][] {{1, 1}, {10, 10}});
        ThresholdSearch.Outcome routed = ThresholdSearch.simulate(r, new double[] {-1, 0}, new int[] {0, 1});
        assertEquals(1.0, routed.accuracy());
        assertEquals((1 + 10) / 20.0, routed.relativeCost(), 1e-12, "item 1 pays stage 1 only");
        assertEquals(0.0, routed.escalationRate(), "starting at stage 1 is not an escalation");
        ThresholdSearch.Outcome plain = ThresholdSearch.simulate(r, new double[] {-1, 0});
        assertEquals((1 + 1 + 10) / 20.0, plain.relativeCost(), 1e-12);
        assertEquals(0.5, plain.escalationRate());
    }

    @Test
    void findsARouterThatSavesWhatTheFirstStageWouldWaste() {
        // 300 prompts; those with "multiply" fail at stage 0 (cost 1) and are right at stage 1 (cost 10).
        // Stage 0's score cannot tell them apart (all 0), so without a router every item must go
        // through both stages to reach full accuracy; a router that skips the "multiply" ones saves.
        Random random = new Random(5);
        int n = 300;
        List<String> prompts = new ArrayList<>();
        boolean[][] correct = new boolean[2][n];
        double[][] score = new double[2][n];
        double[][] cost = new double[2][n];
        for (int j = 0; j < n; j++) {
            boolean hard = random.nextInt(4) == 0;
            prompts.add((hard ? "multiply " : "copy ") + Integer.toString(random.nextInt(1000), 36));
            correct[0][j] = !hard;
            correct[1][j] = true;
            cost[0][j] = 1;
            cost[1][j] = 10;
        }
        ThresholdSearch.Records r = new ThresholdSearch.Records(correct, score, cost);
        RouterCalibration.Result result = RouterCalibration.calibrate(prompts, r, new int[n], 1,
                new ThresholdSearch.Goal.TargetAccuracy(1.0), 10, 512, 1);
        assertTrue(Double.isFinite(result.threshold()), "a router pays here");
        assertEquals(1.0, result.outcome().accuracy());
        int hard = 0;
        for (int j = 0; j < n; j++) {
            hard += correct[0][j] ? 0 : 1;
        }
        // a perfect router: the hard items pay stage 1 only, the others stage 0 only (without a
        // router, full accuracy would take both stages for every item: 1.1 of stage 1 alone). Router
        // thresholds are quantiles 1/40 of the items apart, so up to that many easy items may be sent on too.
        double perfect = ((n - hard) * 1 + hard * 10) / (10.0 * n);
        double oneStep = 9.0 * Math.ceil(n / (RouterCalibration.ROUTER_CANDIDATES - 1.0)) / (10.0 * n);
        assertTrue(result.outcome().relativeCost() >= perfect && result.outcome().relativeCost() <= perfect + oneStep,
                result.outcome().relativeCost() + " against a perfect router's " + perfect);
        assertTrue(result.classifier().probability("multiply 3f") > result.threshold());
        assertTrue(result.classifier().probability("copy 3f") < result.threshold());
        int[] start = RouterCalibration.starts(new double[] {0.9, 0.1, 0.9}, 0.5, 1, new int[] {0, 0, 2});
        assertArrayEquals(new int[] {1, 0, 2}, start, "a rule's start wins over the router");
    }
}
