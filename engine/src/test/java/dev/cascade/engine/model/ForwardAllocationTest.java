package dev.cascade.engine.model;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.Model;
import dev.cascade.weights.random.RandomModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A decode step on the CPU backend allocates nothing on any thread once compiled: the hot path
 * is buffers sized at start and kernels that keep their vectors in registers.
 */
class ForwardAllocationTest {

    private static long allocatedByAllThreads() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "Q8_0", "Q4_0", "F16", "BF16"})
    void decodeStepsAllocateNothing(String dtype) throws InterruptedException {
        try (Model m = RandomModels.create("random:tiny:" + dtype, null)) {
            KvLayout layout = new KvLayout(m.config().layers(), 16, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, new CpuBackend(2), layout, 8);
            BlockAllocator blocks = new BlockAllocator(layout.blocks());
            int batch = 3;
            BlockTable[] tables = new BlockTable[batch];
            int[][] tokens = new int[batch][64];
            for (int b = 0; b < batch; b++) {
                tables[b] = new BlockTable(4);
                tables[b].ensureCapacity(64, layout.blockSize(), blocks);
                tokens[b][0] = 7 + b;
            }
            StepPlan plan = new StepPlan(8, batch, 4, layout.blockSize());
            float[] logits = new float[batch * m.config().vocabSize()];
            // decode positions 0..40 over and over: every step does the same work
            long baseline = Long.MAX_VALUE; // what measuring costs by itself
            for (int i = 0; i < 5; i++) {
                long before = allocatedByAllThreads();
                baseline = Math.min(baseline, allocatedByAllThreads() - before);
            }
            long last = -1;
            long deadline = System.nanoTime() + 20_000_000_000L;
            int position = 0;
            while (last != 0 && System.nanoTime() < deadline) {
                long before = allocatedByAllThreads();
                for (int step = 0; step < 200; step++) {
                    plan.clear();
                    for (int b = 0; b < batch; b++) {
                        plan.addSequence(tables[b].array(), tables[b].count(), tokens[b], position, position + 1, position, true);
                    }
                    t.forward(plan, logits);
                    position = (position + 1) % 40;
                }
                last = allocatedByAllThreads() - before - baseline;
                if (last != 0) {
                    Thread.sleep(20); // let the compiler threads catch up
                }
            }
            t.close();
            assertEquals(0, last, dtype + ": bytes allocated by 200 decode steps once compiled");
        }
    }
}
