package dev.cascade.server.loadtest;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a sample by linear interpolation between the closest ranks (numpy's default, Hyndman and Fan's
 * type 7): the p-th percentile sits at rank h = (n - 1) p / 100 of the sorted values, between the values at floor(h)
 * and ceil(h). Interpolating rather than taking the nearest rank keeps p95 of a small run below its max, where the
 * nearest rank would report the single slowest request twice.
 */
public final class Percentiles {
    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return new Percentiles(s);
    }

    public static Percentiles of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile, p from 0 to 100; NaN for an empty sample. */
    public double at(double p) {
        if (p < 0 || p > 100 || Double.isNaN(p)) {
            throw new IllegalArgumentException("percentile must be within 0..100, not " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double h = (sorted.length - 1) * p / 100;
        int lo = (int) Math.floor(h);
        int hi = (int) Math.ceil(h);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public double p50() {
        return at(50);
    }

    public double p95() {
        return at(95);
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    public double mean() {
        return sorted.length == 0 ? Double.NaN : Arrays.stream(sorted).sum() / sorted.length;
    }
}
