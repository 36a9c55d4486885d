package dev.cascade.server.cli;

import dev.cascade.engine.cascade.ThresholdSearch;

import java.io.PrintWriter;

/**
 * How the calibrated learned router does on the held-out items: of the prompts it decided (those
 * no rule claimed), how many it sent on and how often the first stage would indeed have failed them
 * (precision), how many of the first stage's failures it caught (recall), and what the cascade
 * costs with it against the same stage thresholds without it.
 */
final class RouterReport {
    private RouterReport() {
    }

    /**
     * @param probability the router's failure probability per held-out item
     * @param ruleStart   where rules start each item (the router decides only where this is 0)
     * @param start       where each item starts with the router
     */
    static void print(PrintWriter out, double threshold, String startAt, double[] probability, int[] ruleStart, int[] start,
                      ThresholdSearch.Records heldOut, double[] thresholds) {
        int decided = 0, routed = 0, routedFailing = 0, failing = 0;
        for (int j = 0; j < probability.length; j++) {
            if (ruleStart[j] > 0) {
                continue;
            }
            decided++;
            boolean fails = !heldOut.correct()[0][j];
            boolean sent = start[j] > 0;
            failing += fails ? 1 : 0;
            routed += sent ? 1 : 0;
            routedFailing += sent && fails ? 1 : 0;
        }
        ThresholdSearch.Outcome with = ThresholdSearch.simulate(heldOut, thresholds, start);
        ThresholdSearch.Outcome without = ThresholdSearch.simulate(heldOut, thresholds, ruleStart);
        if (Double.isInfinite(threshold)) {
            out.printf("  router: never routes (no threshold beat the cascade without it on the calibration half)%n");
            return;
        }
        out.printf("  router: P(first stage fails) > %.4f starts at %s: sends %.1f%% of prompts there, precision %.1f%% recall %.1f%%%n",
                threshold, startAt, 100.0 * routed / Math.max(1, decided), percent(routedFailing, routed), percent(routedFailing, failing));
        out.printf("  with the router: accuracy %.1f%%, cost %.1f%% of the last stage alone; without it (same thresholds): %.1f%%, %.1f%%"
                        + " (the router saves %.1f%% of the cascade's cost)%n",
                100 * with.accuracy(), 100 * with.relativeCost(), 100 * without.accuracy(), 100 * without.relativeCost(),
                without.relativeCost() == 0 ? 0 : 100 * (1 - with.relativeCost() / without.relativeCost()));
    }

    private static double percent(int part, int whole) {
        return whole == 0 ? Double.NaN : 100.0 * part / whole;
    }
}
