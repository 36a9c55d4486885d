package dev.cascade.engine.bench;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.weights.ModelConfig;

import java.util.SplittableRandom;

/**
 * One measurement of prefill and decode speed, as llama-bench takes it: a batch of sequences with
 * random prompt tokens is prefilled in one step, then every sequence decodes greedily one token per
 * step. No tokenizer and no sampling beyond argmax, so it times the model alone.
 */
public final class ThroughputRun {
    private ThroughputRun() {
    }

    /** Timings of one repetition. */
    public record Result(double prefillSeconds, double decodeSeconds, int prefillTokens, int decodeTokens) {
        public double prefillTokensPerSecond() {
            return prefillTokens / prefillSeconds;
        }

        public double decodeTokensPerSecond() {
            return decodeTokens / decodeSeconds;
        }
    }

    /** A KV layout big enough for {@code batch} sequences of {@code promptTokens + genTokens}. */
    public static KvLayout layoutFor(ModelConfig c, int batch, int promptTokens, int genTokens, int blockSize) {
        int perSequence = (promptTokens + genTokens + blockSize - 1) / blockSize;
        return new KvLayout(c.layers(), batch * perSequence, blockSize, c.kvHeads(), c.headDim());
    }

    public static Result run(Transformer t, KvLayout layout, int batch, int promptTokens, int genTokens, long seed) {
        int vocab = t.config().vocabSize();
        int perSequence = (promptTokens + genTokens + layout.blockSize() - 1) / layout.blockSize();
        BlockAllocator allocator = new BlockAllocator(layout.blocks());
        BlockTable[] tables = new BlockTable[batch];
        int[][] tokens = new int[batch][promptTokens + genTokens];
        SplittableRandom random = new SplittableRandom(seed);
        for (int b = 0; b < batch; b++) {
            tables[b] = new BlockTable(perSequence);
            for (int i = 0; i < promptTokens; i++) {
                tokens[b][i] = random.nextInt(vocab);
            }
            if (!tables[b].ensureCapacity(promptTokens + genTokens, layout.blockSize(), allocator)) {
                throw new IllegalStateException("KV cache too small for the benchmark");
            }
        }
        StepPlan plan = new StepPlan(t.maxRows(), batch, perSequence, layout.blockSize());
        float[] logits = new float[batch * vocab];

        long start = System.nanoTime();
        int fed = 0;
        // prefill, split into steps of at most maxRows rows
        int[] done = new int[batch];
        while (fed < batch * promptTokens) {
            plan.clear();
            int budget = t.maxRows();
            for (int b = 0; b < batch && budget > 0; b++) {
                int chunk = Math.min(promptTokens - done[b], budget);
                if (chunk == 0) {
                    continue;
                }
                plan.addSequence(tables[b].array(), tables[b].count(), tokens[b], done[b], done[b] + chunk, done[b],
                        done[b] + chunk == promptTokens);
                done[b] += chunk;
                budget -= chunk;
                fed += chunk;
            }
            t.forward(plan, logits);
            for (int i = 0; i < plan.logitCount(); i++) {
                int b = plan.sequenceOf(plan.logitRow(i));
                tokens[b][promptTokens] = argmax(logits, i * vocab, vocab);
            }
        }
        long prefilled = System.nanoTime();
        // the first generated token came out of the prefill; decode the rest
        for (int step = 1; step < genTokens; step++) {
            plan.clear();
            int position = promptTokens + step - 1;
            for (int b = 0; b < batch; b++) {
                plan.addSequence(tables[b].array(), tables[b].count(), tokens[b], position, position + 1, position, true);
            }
            t.forward(plan, logits);
            for (int b = 0; b < batch; b++) {
                tokens[b][position + 1] = argmax(logits, b * vocab, vocab);
            }
        }
        long end = System.nanoTime();
        return new Result((prefilled - start) / 1e9, (end - prefilled) / 1e9, batch * promptTokens,
                batch * Math.max(0, genTokens - 1));
    }

    private static int argmax(float[] x, int offset, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (x[offset + i] > x[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
