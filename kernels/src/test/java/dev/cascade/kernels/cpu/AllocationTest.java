package dev.cascade.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.weights.DType;
import dev.cascade.weights.RopePairing;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hot paths allocate nothing once warm. Measured on the calling thread, which runs chunks itself
 * (worker 0), with the JVM's per-thread allocation counter, once the JIT has compiled them.
 */
class AllocationTest {

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * Bytes allocated by 200 calls once compiled. Until C2 compiles a kernel, vectors live in heap
     * boxes, so this warms in rounds until a window is clean, or 30 s have passed (on a loaded
     * machine the compiler threads lag), and reports the last window. Between rounds it sleeps a
     * little so the compiler threads get a core.
     */
    private static long allocatedBy(Runnable r) {
        long baseline = window(() -> { });
        long last = -1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (last != 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < 1000; i++) {
                r.run();
            }
            last = window(r) - baseline;
            if (last != 0) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return last;
                }
            }
        }
        return last;
    }

    /** Bytes allocated across 200 runs, including the measuring itself. */
    private static long window(Runnable r) {
        long before = allocatedBytes();
        for (int i = 0; i < 200; i++) {
            r.run();
        }
        return allocatedBytes() - before;
    }

    private final StringBuilder failures = new StringBuilder();

    private void check(long bytes, String what) {
        if (bytes != 0) {
            failures.append(what).append(": ").append(bytes).append(" bytes in 200 calls\n");
        }
    }

    @Test
    void kernelsAllocateNothingPerCall() {
        Random rnd = new Random(1);
        int in = 96, out = 40, batch = 3;
        try (WorkerPool pool = new WorkerPool(2)) {
            for (DType dtype : DType.values()) {
                MemorySegment w = TestData.encode(TestData.gaussian(rnd, out * in, 1f), out, in, dtype);
                MemorySegment x = TestData.segment(TestData.gaussian(rnd, batch * in, 1f));
                MemorySegment y = TestData.floats(batch * out);
                Matmul mm = new Matmul(pool);
                check(allocatedBy(() -> mm.multiply(x, batch, in, w, dtype, out, y)), "matmul " + dtype);
                check(allocatedBy(() -> mm.multiply(x, 1, in, w, dtype, out, y)), "matmul batch 1 " + dtype);
            }
            MemorySegment x = TestData.segment(TestData.gaussian(rnd, batch * in, 1f));
            MemorySegment d = TestData.segment(TestData.gaussian(rnd, batch * in, 1f));
            MemorySegment o = TestData.floats(batch * in);
            MemorySegment wf = TestData.segment(TestData.gaussian(rnd, in, 1f));
            MemorySegment wh = TestData.encode(TestData.gaussian(rnd, in, 1f), 1, in, DType.F16);
            RmsNorm norm = new RmsNorm();
            check(allocatedBy(() -> norm.apply(x, o, batch, in, wf, DType.F32, 1e-5f)), "rmsnorm");
            check(allocatedBy(() -> norm.apply(x, o, batch, in, wh, DType.F16, 1e-5f)), "rmsnorm F16");
            check(allocatedBy(() -> norm.addAndApply(o, d, x, batch, in, wf, DType.F32, 1e-5f)), "add+rmsnorm");
            check(allocatedBy(() -> Activations.siluMul(x, d, o, batch * in)), "silu");
            check(allocatedBy(() -> Activations.softmax(o, batch, in)), "softmax");
            int[] positions = {3, 9, 27};
            Rope halves = new Rope(32, 10000, null, RopePairing.HALVES, 64);
            Rope inter = new Rope(32, 10000, null, RopePairing.INTERLEAVED, 64);
            check(allocatedBy(() -> halves.apply(x, 0, in, batch, 3, positions)), "rope halves");
            check(allocatedBy(() -> inter.apply(x, 0, in, batch, 3, positions)), "rope interleaved");

            PagedKvLayout layout = new PagedKvLayout(16, 2, 32);
            MemorySegment kPool = TestData.segment(TestData.gaussian(rnd, 4 * 16 * 64, 1f));
            MemorySegment vPool = TestData.segment(TestData.gaussian(rnd, 4 * 16 * 64, 1f));
            int[][] tables = {{2, 0, 3}};
            int[] rowSeq = {0, 0, 0};
            int[] rowLen = {30, 31, 45};
            MemorySegment q = TestData.segment(TestData.gaussian(rnd, 3 * 4 * 32, 1f));
            MemorySegment attnOut = TestData.floats(3 * 4 * 32);
            PagedAttention attention = new PagedAttention(pool);
            check(allocatedBy(() -> attention.attend(q, attnOut, 3, 4, layout, kPool, vPool, tables, rowSeq, rowLen)),
                    "attention");
            int[] slots = {5, 6, 7};
            check(allocatedBy(() -> KvCacheWriter.write(q, q, 3, slots, layout, kPool, vPool)), "kv write");
            int[] tokens = {1, 0, 1};
            check(allocatedBy(() -> Embedding.lookup(wf, DType.F32, 32, tokens, 3, o)), "embedding");
        }
        assertEquals("", failures.toString());
    }
}
