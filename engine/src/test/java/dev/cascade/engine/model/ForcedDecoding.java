package dev.cascade.engine.model;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;

/**
 * Feeds a fixed token sequence through a transformer (a prefill chunk, then one token per step)
 * and keeps the logits at every position from the end of the prefill on: the path generation
 * takes, without sampling.
 */
final class ForcedDecoding {
    private ForcedDecoding() {
    }

    /** logits[p - prefill + 1][vocab] for positions prefill-1 .. tokens.length-1. */
    static float[][] run(Transformer t, KvLayout layout, int[] tokens, int prefill) {
        int vocab = t.config().vocabSize();
        BlockAllocator blocks = new BlockAllocator(layout.blocks());
        BlockTable table = new BlockTable(layout.blocks());
        StepPlan plan = new StepPlan(t.maxRows(), 1, layout.blocks(), layout.blockSize());
        float[][] out = new float[tokens.length - prefill + 1][];
        float[] logits = new float[vocab];
        int done = 0;
        int row = 0;
        while (done < tokens.length) {
            int chunk = done == 0 ? prefill : 1;
            if (!table.ensureCapacity(done + chunk, layout.blockSize(), blocks)) {
                throw new IllegalStateException("KV cache too small");
            }
            plan.clear();
            plan.addSequence(table.array(), table.count(), tokens, done, done + chunk, done, true);
            t.forward(plan, logits);
            out[row++] = logits.clone();
            done += chunk;
        }
        return out;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
