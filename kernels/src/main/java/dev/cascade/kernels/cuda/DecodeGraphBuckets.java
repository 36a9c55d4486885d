package dev.cascade.kernels.cuda;

import dev.cascade.kernels.StepPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch sizes for which a decode step would be captured once as a CUDA graph and replayed: 1, 2,
 * 4, 8, ... up to the largest that fits the step's rows. A step of r rows runs in the smallest
 * bucket of at least r rows, the extra rows padded (a padding row decodes a dummy token into a
 * scratch cache block and its logits are not read). Graph capture itself is not wired into the
 * backend yet; this is the host-side half, tested.
 */
public record DecodeGraphBuckets(List<Integer> sizes) {
    /** Past this many rows a step's own work dwarfs its launch overhead. */
    public static final int LARGEST = 256;

    public DecodeGraphBuckets {
        sizes = List.copyOf(sizes);
    }

    public static DecodeGraphBuckets upTo(int maxRows) {
        List<Integer> sizes = new ArrayList<>();
        for (int b = 1; b <= Math.min(maxRows, LARGEST); b *= 2) {
            sizes.add(b);
        }
        return new DecodeGraphBuckets(sizes);
    }

    /** The bucket a step of {@code rows} rows runs in, or -1 when none holds it. */
    public int bucketFor(int rows) {
        for (int b : sizes) {
            if (b >= rows) {
                return b;
            }
        }
        return -1;
    }

    /** Whether a step is pure decode: one row per sequence, each wanting its logits (what a graph replays). */
    public static boolean isDecodeOnly(StepPlan plan) {
        if (plan.rows() == 0 || plan.rows() != plan.sequences() || plan.logitCount() != plan.rows()) {
            return false;
        }
        for (int r = 0; r < plan.rows(); r++) {
            if (plan.sequenceOf(r) != r || plan.logitRow(r) != r) {
                return false;
            }
        }
        return true;
    }
}
