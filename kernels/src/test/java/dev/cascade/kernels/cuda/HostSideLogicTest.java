package dev.cascade.kernels.cuda;

import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.random.RandomModels;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CUDA backend's decisions that need no GPU: memory accounting, attention splits, graph buckets, the plan's layout. */
class HostSideLogicTest {

    @Test
    void weightsTakeTheirDeviceDtype() {
        assertEquals(DType.BF16, WeightPrecision.BF16.deviceType(DType.F32));
        assertEquals(DType.BF16, WeightPrecision.BF16.deviceType(DType.Q8_0));
        assertEquals(DType.BF16, WeightPrecision.BF16.deviceType(DType.Q4_0));
        assertEquals(DType.F16, WeightPrecision.BF16.deviceType(DType.F16));
        assertEquals(DType.BF16, WeightPrecision.BF16.deviceType(DType.BF16));
        for (DType d : DType.values()) {
            assertEquals(DType.F32, WeightPrecision.F32.deviceType(d));
        }
    }

    @Test
    void memoryPlanCountsEveryPart() {
        try (Model m = RandomModels.create("random:tiny:Q8_0", null)) {
            var c = m.config();
            KvLayout kv = new KvLayout(c.layers(), 10, 16, c.kvHeads(), c.headDim());
            DeviceMemoryPlan p = DeviceMemoryPlan.of(m, kv, 64, WeightPrecision.BF16, 1000);
            long matrices = 0;
            long vectors = 0;
            long largestRaw = 0;
            for (Tensor t : m.tensors().values()) {
                if (t.rank() == 1) {
                    vectors += t.elementCount();
                } else {
                    matrices += t.elementCount();
                    largestRaw = Math.max(largestRaw, t.data().byteSize());
                }
            }
            assertEquals(2 * matrices + 4 * vectors, p.weights());
            assertEquals(largestRaw, p.staging());
            assertEquals(kv.totalBytes(), p.kvCache());
            assertEquals(4L * 64 * (4 * c.dim() + 2 * c.qDim() + 2 * c.kvDim() + 2 * c.hiddenDim() + c.vocabSize()),
                    p.activations());
            assertEquals(2L * 64 * Math.max(Math.max(c.dim(), c.qDim()), c.hiddenDim()), p.gemmInput());
            assertEquals(1000 + DeviceMemoryPlan.PLAN + DeviceMemoryPlan.CUBLAS_WORKSPACE, p.workspace());
            assertEquals(p.weights() + p.staging() + p.kvCache() + p.activations() + p.gemmInput() + p.workspace()
                    + p.reserve(), p.total());

            DeviceMemoryPlan f32 = DeviceMemoryPlan.of(m, kv, 64, WeightPrecision.F32, 1000);
            assertEquals(4 * matrices + 4 * vectors, f32.weights());
            assertEquals(0, f32.gemmInput());
        }
    }

    @Test
    void aModelThatDoesNotFitIsRefusedWithTheParts() {
        try (Model m = RandomModels.create("random:tiny:BF16", null)) {
            var c = m.config();
            KvLayout kv = new KvLayout(c.layers(), 10, 16, c.kvHeads(), c.headDim());
            DeviceMemoryPlan p = DeviceMemoryPlan.of(m, kv, 64, WeightPrecision.BF16, 0);
            assertEquals(0, p.staging(), "BF16 weights are uploaded as they are");
            assertDoesNotThrow(() -> p.check(p.total(), 80L << 30, "GPU", WeightPrecision.BF16, 64));
            DeviceMemoryException e = assertThrows(DeviceMemoryException.class,
                    () -> p.check(p.total() - 1, 80L << 30, "NVIDIA H100 (GPU 0)", WeightPrecision.BF16, 64));
            String msg = e.getMessage();
            assertTrue(msg.startsWith("the model does not fit on NVIDIA H100 (GPU 0): it needs "), msg);
            assertTrue(msg.contains("as BF16") && msg.contains("KV cache") && msg.contains("for 64 rows")
                    && msg.contains("80.00 GiB") && msg.contains("--kv-memory"), msg);
            assertFalse(msg.contains("halves the weights"), msg);
            DeviceMemoryException f32 = assertThrows(DeviceMemoryException.class,
                    () -> p.check(1, 2, "GPU", WeightPrecision.F32, 64));
            assertTrue(f32.getMessage().contains("-Dcascade.cuda.weights=bf16 halves the weights"), f32.getMessage());
        }
    }

    @Test
    void attentionSplitsFillTheGpuOnlyWhenRowsDoNot() {
        // one decode row, 32 heads, 4096 tokens of context on 132 SMs: 528 blocks wanted, 17 splits
        AttentionSplits one = AttentionSplits.choose(1, 32, 4096, 132, 1024);
        assertEquals(17, one.splits());
        assertEquals((4096 + 16) / 17, one.tokensPerSplit());
        assertTrue((long) one.splits() * one.tokensPerSplit() >= 4096);
        // a short context is never split below MIN_TOKENS_PER_SPLIT
        assertEquals(1, AttentionSplits.choose(1, 32, 200, 132, 1024).splits());
        assertEquals(2, AttentionSplits.choose(1, 32, 300, 132, 1024).splits());
        // enough rows fill the GPU alone
        AttentionSplits prefill = AttentionSplits.choose(512, 32, 8192, 132, 1024);
        assertEquals(1, prefill.splits());
        assertEquals(8192, prefill.tokensPerSplit());
        // the partials buffer bounds rows x splits
        AttentionSplits capped = AttentionSplits.choose(8, 2, 100_000, 132, 40);
        assertEquals(5, capped.splits());
        assertEquals(AttentionSplits.MAX_SPLITS, AttentionSplits.choose(1, 1, 1 << 20, 132, 1 << 20).splits());
        assertThrows(IllegalArgumentException.class, () -> AttentionSplits.choose(0, 32, 10, 132, 1024));
    }

    /** A graph stand-in that knows whether it was closed. */
    static final class FakeGraph implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private static StepPlan decodeStep(int rows) {
        StepPlan p = new StepPlan(300, 300, 2, 16);
        for (int s = 0; s < rows; s++) {
            p.addSequence(new int[] {s}, 1, new int[] {7}, 0, 1, 3, true);
        }
        return p;
    }

    @Test
    void aDecodeShapeRunsEagerlyThenIsCapturedThenReplayed() {
        try (DecodeGraphs<FakeGraph> g = new DecodeGraphs<>(true)) {
            StepPlan one = decodeStep(1);
            assertEquals(DecodeGraphs.Action.EAGER, g.next(one), "the first step of a shape allocates what it needs");
            assertEquals(DecodeGraphs.Action.CAPTURE, g.next(one));
            FakeGraph graph = new FakeGraph();
            g.captured(1, graph);
            assertEquals(DecodeGraphs.Action.REPLAY, g.next(one));
            assertSame(graph, g.graph(1));
            StepPlan three = decodeStep(3);
            assertEquals(DecodeGraphs.Action.EAGER, g.next(three), "each row count has its own graph");
            assertEquals(DecodeGraphs.Action.CAPTURE, g.next(three));
            g.failed(3);
            assertEquals(DecodeGraphs.Action.EAGER, g.next(three), "a shape whose capture failed stays eager");
            assertEquals(DecodeGraphs.Action.EAGER, g.next(three));
            assertEquals(1, g.size());
            g.clear();
            assertTrue(graph.closed, "dropped graphs are destroyed");
            assertEquals(DecodeGraphs.Action.CAPTURE, g.next(one), "after the plan moved, a warm shape is captured again");
        }
    }

    @Test
    void graphsAreOnlyForDecodeStepsUpToTheLargestAndCanBeTurnedOff() {
        try (DecodeGraphs<FakeGraph> g = new DecodeGraphs<>(true)) {
            StepPlan big = decodeStep(DecodeGraphs.LARGEST + 1);
            g.next(big);
            assertEquals(DecodeGraphs.Action.EAGER, g.next(big));
            StepPlan largest = decodeStep(DecodeGraphs.LARGEST);
            g.next(largest);
            assertEquals(DecodeGraphs.Action.CAPTURE, g.next(largest));
            StepPlan prefill = new StepPlan(16, 4, 4, 16);
            prefill.addSequence(new int[] {0}, 1, new int[] {1, 2, 3}, 0, 3, 0, true);
            g.next(prefill);
            assertEquals(DecodeGraphs.Action.EAGER, g.next(prefill));
        }
        try (DecodeGraphs<FakeGraph> off = new DecodeGraphs<>(false)) {
            StepPlan one = decodeStep(1);
            off.next(one);
            assertEquals(DecodeGraphs.Action.EAGER, off.next(one));
        }
    }

    @Test
    void graphsAreOnByDefaultAndOffWithSyncOrTheProperty() {
        String graphs = System.getProperty(CudaBackend.GRAPHS_PROPERTY);
        String sync = System.getProperty("cascade.cuda.sync");
        try {
            System.clearProperty(CudaBackend.GRAPHS_PROPERTY);
            System.clearProperty("cascade.cuda.sync");
            assertTrue(CudaBackend.graphsWanted());
            System.setProperty(CudaBackend.GRAPHS_PROPERTY, "false");
            assertFalse(CudaBackend.graphsWanted());
            System.clearProperty(CudaBackend.GRAPHS_PROPERTY);
            System.setProperty("cascade.cuda.sync", "true");
            assertFalse(CudaBackend.graphsWanted(), "a capture cannot wait after each launch");
        } finally {
            restore(CudaBackend.GRAPHS_PROPERTY, graphs);
            restore("cascade.cuda.sync", sync);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void onlyPureDecodeStepsAreGraphCandidates() {
        StepPlan p = new StepPlan(16, 4, 4, 16);
        int[] blocks = {0, 1, 2, 3};
        p.addSequence(blocks, 1, new int[] {5}, 0, 1, 3, true);
        p.addSequence(new int[] {4}, 1, new int[] {6}, 0, 1, 7, true);
        assertTrue(DecodeGraphs.isDecodeOnly(p));
        p.addSequence(new int[] {5}, 1, new int[] {1, 2, 3}, 0, 3, 0, true);
        assertFalse(DecodeGraphs.isDecodeOnly(p), "a prefill chunk");
        p.clear();
        p.addSequence(blocks, 1, new int[] {5}, 0, 1, 3, false);
        assertFalse(DecodeGraphs.isDecodeOnly(p), "a row without logits");
    }

    @Test
    void thePlanLandsAtFixedOffsets() {
        StepPlan p = new StepPlan(8, 3, 4, 4);
        p.addSequence(new int[] {7, 2}, 2, new int[] {11, 12, 13}, 0, 3, 3, true);   // positions 3,4,5
        p.addSequence(new int[] {9}, 1, new int[] {21}, 0, 1, 2, true);              // position 2
        PlanLayout l = PlanLayout.of(p);
        assertEquals(4L * (7 * 8 + 3 * 4), l.bytes());
        ByteBuffer b = ByteBuffer.allocate((int) l.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long n = l.write(p, b);
        assertEquals(l.blockTables() + 4L * 2 * 4, n);
        int[] tokens = ints(b, l.rowSection(PlanLayout.TOKENS), 4);
        int[] positions = ints(b, l.rowSection(PlanLayout.POSITIONS), 4);
        int[] sequences = ints(b, l.rowSection(PlanLayout.ROW_SEQUENCE), 4);
        int[] slots = ints(b, l.rowSection(PlanLayout.SLOTS), 4);
        int[] logits = ints(b, l.rowSection(PlanLayout.LOGIT_ROWS), 2);
        assertEquals(List.of(11, 12, 13, 21), box(tokens));
        assertEquals(List.of(3, 4, 5, 2), box(positions));
        assertEquals(List.of(0, 0, 0, 1), box(sequences));
        // position 3 is offset 3 of block 7; 4 and 5 are offsets 0 and 1 of block 2; position 2 of block 9
        assertEquals(List.of(7 * 4 + 3, 2 * 4, 2 * 4 + 1, 9 * 4 + 2), box(slots));
        assertEquals(List.of(2, 3), box(logits));
        // attention tiles: the three rows of the first sequence, then the second's one
        assertEquals(2, PlanLayout.tiles(p));
        assertEquals(List.of(0, 3), box(ints(b, l.rowSection(PlanLayout.TILE_FIRST), 2)));
        assertEquals(List.of(3, 1), box(ints(b, l.rowSection(PlanLayout.TILE_ROWS_SECTION), 2)));
        assertEquals(List.of(7, 2), box(ints(b, l.blockTables(), 2)));
        assertEquals(9, b.getInt((int) l.blockTables() + 4 * 4));
        assertTrue(l.holds(new StepPlan(4, 2, 4, 4)));
        assertFalse(l.holds(new StepPlan(16, 2, 4, 4)));
        assertFalse(l.holds(new StepPlan(8, 3, 5, 4)), "the block tables' row stride must match");
    }

    @Test
    void prefillChunksSplitIntoTilesOfSixteenRowsAndDecodeRowsStandAlone() {
        StepPlan p = new StepPlan(64, 4, 4, 16);
        p.addSequence(new int[] {0, 1, 2}, 3, new int[40], 0, 40, 0, true);  // 40 rows: 16 + 16 + 8
        p.addSequence(new int[] {3}, 1, new int[] {5}, 0, 1, 9, true);       // a decode row
        p.addSequence(new int[] {4, 5}, 2, new int[17], 0, 17, 3, true);     // 17 rows: 16 + 1
        PlanLayout l = PlanLayout.of(p);
        ByteBuffer b = ByteBuffer.allocate((int) l.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        l.write(p, b);
        assertEquals(6, PlanLayout.tiles(p));
        assertEquals(List.of(0, 16, 32, 40, 41, 57), box(ints(b, l.rowSection(PlanLayout.TILE_FIRST), 6)));
        assertEquals(List.of(16, 16, 8, 1, 16, 1), box(ints(b, l.rowSection(PlanLayout.TILE_ROWS_SECTION), 6)));
        StepPlan decode = new StepPlan(8, 4, 4, 16);
        for (int s = 0; s < 3; s++) {
            decode.addSequence(new int[] {s}, 1, new int[] {1}, 0, 1, 4, true);
        }
        assertEquals(3, PlanLayout.tiles(decode), "a decode step has a tile per row: it takes the split kernel");
        assertEquals(Kernel.PREFILL_ATTENTION_D128, CudaKernels.prefillAttentionKernel(80));
        assertEquals(null, CudaKernels.prefillAttentionKernel(256), "too large for the tiles: the paged kernel");
    }

    @Test
    void kernelShapes() {
        assertEquals(Kernel.PAGED_ATTENTION_D32, CudaKernels.attentionKernel(8));
        assertEquals(Kernel.PAGED_ATTENTION_D64, CudaKernels.attentionKernel(64));
        assertEquals(Kernel.PAGED_ATTENTION_D128, CudaKernels.attentionKernel(80));
        assertEquals(Kernel.PAGED_ATTENTION_D256, CudaKernels.attentionKernel(256));
        assertThrows(IllegalArgumentException.class, () -> CudaKernels.attentionKernel(512));
        assertEquals(32, CudaKernels.rowThreads(8));
        assertEquals(96, CudaKernels.rowThreads(65));
        assertEquals(CudaKernels.ROW_THREADS, CudaKernels.rowThreads(4096));
        assertEquals(1, CudaKernels.elementBlocks(1));
        assertEquals(CudaKernels.MAX_ELEMENT_BLOCKS, CudaKernels.elementBlocks(1L << 40));
    }

    private static int[] ints(ByteBuffer b, long offset, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getInt((int) offset + 4 * i);
        }
        return out;
    }

    private static List<Integer> box(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
