package dev.cascade.engine.model;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A sequence's logits are bit-identical whether it runs alone or batched with 7 other sequences of
 * different lengths (prefill chunks and decode rows mixed in the same steps).
 */
class BatchInvarianceTest {

    static List<String> backends() {
        return EngineBackends.names();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void logitsDoNotDependOnTheBatch(String backend) throws Exception {
        Path folder = Path.of(BatchInvarianceTest.class.getResource("/reference/llama-gqa/config.json").toURI()).getParent();
        try (Model m = ModelLoader.loadWeights(folder)) {
            Random r = new Random(3);
            int[][] seqs = new int[8][];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = r.ints(5 + 6 * i, 0, m.config().vocabSize()).toArray();
            }
            float[][] alone = run(m, backend, new int[][] {seqs[3]})[0];
            float[][][] together = run(m, backend, seqs);
            for (int step = 0; step < alone.length; step++) {
                assertArrayEquals(alone[step], together[3][step], "step " + step);
            }
        }
    }

    /**
     * Sequence i joins at step i % 3 with its first half as one prefill chunk, then takes one token
     * per step, so prefill and decode rows mix; returns each sequence's logits, one row per step
     * it took part in.
     */
    static float[][][] run(Model m, String backend, int[][] seqs) {
        int vocab = m.config().vocabSize();
        KvLayout layout = new KvLayout(m.config().layers(), 64, 16, m.config().kvHeads(), m.config().headDim());
        Transformer t = new Transformer(m, Backends.create(backend, 2).backend(), layout, 256);
        BlockAllocator blocks = new BlockAllocator(layout.blocks());
        BlockTable[] tables = new BlockTable[seqs.length];
        int[] done = new int[seqs.length];
        int maxSteps = 0;
        for (int i = 0; i < seqs.length; i++) {
            tables[i] = new BlockTable(16);
            maxSteps = Math.max(maxSteps, seqs[i].length - seqs[i].length / 2 + 1);
        }
        float[][][] out = new float[seqs.length][maxSteps][];
        int[] taken = new int[seqs.length];
        boolean stagger = seqs.length > 1;
        StepPlan plan = new StepPlan(256, seqs.length, 16, layout.blockSize());
        float[] logits = new float[seqs.length * vocab];
        for (int step = 0; ; step++) {
            plan.clear();
            int[] who = new int[seqs.length];
            int n = 0;
            for (int i = 0; i < seqs.length; i++) {
                if (done[i] == seqs[i].length || (stagger && step < i % 3)) {
                    continue;
                }
                int chunk = done[i] == 0 ? seqs[i].length / 2 : 1;
                tables[i].ensureCapacity(done[i] + chunk, layout.blockSize(), blocks);
                plan.addSequence(tables[i].array(), tables[i].count(), seqs[i], done[i], done[i] + chunk, done[i], true);
                done[i] += chunk;
                who[n++] = i;
            }
            if (n == 0) {
                if (step >= 3) {
                    break;
                }
                continue;
            }
            t.forward(plan, logits);
            for (int j = 0; j < n; j++) {
                out[who[j]][taken[who[j]]++] = Arrays.copyOfRange(logits, j * vocab, (j + 1) * vocab);
            }
        }
        t.close();
        return out;
    }
}
