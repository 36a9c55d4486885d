package dev.cascade.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * How fast this machine streams memory into the cores: threads sum disjoint parts of a buffer far
 * larger than the caches, as a decode step streams the weights. The best of a few passes is the
 * floor a memory-bound kernel can approach.
 */
public final class HostMemoryBandwidth {
    /**
     * The CPU kernels' shape, whatever the machine prefers: a second float shape in the process
     * would make the kernels' shared vector methods bimorphic (see cpu.Lanes).
     */
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(dev.cascade.kernels.cpu.CpuBackend.vectorBits()));

    private HostMemoryBandwidth() {
    }

    /** Bytes per second read with {@code threads} threads from a buffer of {@code bytes}. */
    public static double measure(int threads, long bytes, int passes) throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            MemorySegment shared = buffer.asReadOnly();
            double best = 0;
            DoubleAdder sink = new DoubleAdder();
            // compile the loop first: an interpreted pass would measure the interpreter
            MemorySegment small = shared.asSlice(0, Math.min(bytes, 1 << 16));
            for (int i = 0; i < 20_000; i++) {
                sink.add(sum(small));
            }
            for (int pass = 0; pass < passes; pass++) {
                long part = bytes / threads / 64 * 64;
                List<Thread> workers = new ArrayList<>();
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    MemorySegment slice = MemorySegment.ofAddress(shared.address() + t * part).reinterpret(part);
                    Thread w = Thread.ofPlatform().start(() -> sink.add(sum(slice)));
                    workers.add(w);
                }
                for (Thread w : workers) {
                    w.join();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, part * threads / seconds);
            }
            if (sink.sum() == 42) {
                System.out.print(""); // keeps the sums alive
            }
            return best;
        }
    }

    private static float sum(MemorySegment s) {
        // four independent sums, so the adds' latency does not limit the loads
        FloatVector a = FloatVector.zero(F);
        FloatVector b = FloatVector.zero(F);
        FloatVector c = FloatVector.zero(F);
        FloatVector d = FloatVector.zero(F);
        long v = F.vectorByteSize();
        long step = 4 * v;
        long end = s.byteSize() - s.byteSize() % step;
        for (long i = 0; i < end; i += step) {
            a = a.add(FloatVector.fromMemorySegment(F, s, i, ByteOrder.LITTLE_ENDIAN));
            b = b.add(FloatVector.fromMemorySegment(F, s, i + v, ByteOrder.LITTLE_ENDIAN));
            c = c.add(FloatVector.fromMemorySegment(F, s, i + 2 * v, ByteOrder.LITTLE_ENDIAN));
            d = d.add(FloatVector.fromMemorySegment(F, s, i + 3 * v, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).add(c.add(d)).reduceLanes(VectorOperators.ADD);
    }
}
