package dev.cascade.bench;

import dev.cascade.kernels.cpu.Matmul;
import dev.cascade.kernels.cpu.WorkerPool;
import dev.cascade.weights.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU matrix product on the shapes of random:llama-110m (dim 768, FFN 2048, vocab 32000),
 * per weight dtype and batch size.
 *
 * <p>Besides the call rate, the {@code weightGBps} counter reports weight bytes streamed per second
 * and {@code gflops} the useful floating-point rate (2·batch·out·in per call). By default each call
 * uses the next of several copies of the matrix, {@code workingSetMiB} in all, so the weights come
 * from memory as in a real forward pass, where a model's weights far exceed the L3 cache; set it to
 * 0 to measure a single cache-resident matrix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,dev.cascade.kernels.cpu.VectorMath::exp"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MatmulBench {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    public DType dtype;

    @Param({"1", "8", "32"})
    public int batch;

    /** out x in. */
    @Param({"768x768", "2048x768", "768x2048", "32000x768"})
    public String shape;

    /** Worker threads, the caller included; 0 = available processors. */
    @Param("0")
    public int threads;

    /** Total bytes of the matrix copies cycled through (0 = one copy). */
    @Param("256")
    public int workingSetMiB;

    /** Batches up to this size convert weights in registers (see Matmul). */
    @Param("1")
    public int convertInRegistersUpTo;

    private Arena arena;
    private WorkerPool pool;
    private Matmul matmul;
    private MemorySegment[] weights;
    private MemorySegment x;
    private MemorySegment y;
    private int out;
    private int in;
    private int next;

    /**
     * CPU kernels' vector width, 256 or 512 bits; empty for the machine's own (see the README's CPU
     * performance). Set as the property {@code cascade.cpu.vectorBits} before the kernels load,
     * which works because JMH runs each parameter combination in a fresh fork.
     */
    @Param({""})
    public String vectorBits;

    @Setup(Level.Trial)
    public void setUp() {
        if (!vectorBits.isEmpty()) {
            System.setProperty("cascade.cpu.vectorBits", vectorBits);
        }
        String[] dims = shape.split("x");
        out = Integer.parseInt(dims[0]);
        in = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        MemorySegment first = RandomWeights.matrix(arena, dtype, out, in, 42);
        long copies = Math.max(1, ((long) workingSetMiB << 20) / first.byteSize());
        weights = new MemorySegment[(int) copies];
        weights[0] = first;
        for (int i = 1; i < copies; i++) {
            weights[i] = arena.allocate(first.byteSize(), 64).copyFrom(first);
        }
        x = RandomWeights.activations(arena, batch * in, 7);
        y = arena.allocate(4L * batch * out, 64);
        pool = threads == 0 ? new WorkerPool() : new WorkerPool(threads);
        matmul = new Matmul(pool, convertInRegistersUpTo);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    /** Rates JMH reports per second next to the call rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        /** Gigabytes of weights read. */
        public double weightGBps;
        /** Giga floating-point operations (multiply and add counted separately). */
        public double gflops;
    }

    @Benchmark
    public void multiply(Rates rates) {
        MemorySegment w = weights[next];
        next = next + 1 == weights.length ? 0 : next + 1;
        matmul.multiply(x, batch, in, w, dtype, out, y);
        rates.weightGBps += w.byteSize() * 1e-9;
        rates.gflops += 2e-9 * batch * out * in;
    }
}
