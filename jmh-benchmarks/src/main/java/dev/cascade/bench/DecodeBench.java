package dev.cascade.bench;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.BlockTable;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.kernels.cuda.CudaBackend;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelLoader;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One decode step: {@code batch} sequences, each with {@code context} tokens already in the KV
 * cache, produce their next token's logits. The score is the time per step; the {@code tokens}
 * counter gives tokens per second (batch × steps).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar Decode -p model=random:llama-110m:Q8_0 -p batch=1,8,32</pre>
 *
 * With {@code -p backend=cuda}, the timed steps replay a CUDA graph (JMH's first call runs the step
 * eagerly, the second captures it); {@code -p graphs=true,false} measures what graphs save.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,dev.cascade.kernels.cpu.VectorMath::exp"})
@State(Scope.Benchmark)
public class DecodeBench {

    @Param({"cpu"})
    public String backend;

    @Param({"random:llama-110m:Q8_0"})
    public String model;

    @Param({"1", "8", "32"})
    public int batch;

    /** Tokens already in each sequence's cache. */
    @Param({"128"})
    public int context;

    /** CUDA only: whether pure decode steps run from CUDA graphs (false: every launch issued each step). */
    @Param({"true"})
    public boolean graphs;

    /**
     * Whether the step ends with greedy token choice on the device where the backend does it (as
     * serving does: only token ids come back), rather than with a copy of every row's logits.
     */
    @Param({"true"})
    public boolean deviceSampling;

    /** CPU worker threads (0: the machine's cores). */
    @Param({"0"})
    public int threads;

    private Model loaded;
    private Transformer transformer;
    private StepPlan plan;
    private float[] logits;
    private DeviceSampling sampling;
    private int[][] tokens;
    private BlockTable[] tables;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        public long tokens;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    /**
     * CPU kernels' vector width, 256 or 512 bits; empty for the machine's own (see the README's CPU
     * performance). Set as the property {@code cascade.cpu.vectorBits} before the kernels load,
     * which works because JMH runs each parameter combination in a fresh fork.
     */
    @Param({""})
    public String vectorBits;

    @Setup
    public void setUp() {
        if (!vectorBits.isEmpty()) {
            System.setProperty("cascade.cpu.vectorBits", vectorBits);
        }
        System.setProperty(CudaBackend.GRAPHS_PROPERTY, Boolean.toString(graphs));
        loaded = ModelLoader.open(model, null);
        ModelConfig c = loaded.config();
        int blockSize = KvLayout.DEFAULT_BLOCK_SIZE;
        int perSequence = (context + 1 + blockSize - 1) / blockSize;
        KvLayout layout = new KvLayout(c.layers(), batch * perSequence, blockSize, c.kvHeads(), c.headDim());
        int maxRows = Math.max(batch, 256);
        transformer = new Transformer(loaded, Backends.create(backend, threads > 0 ? threads : Backends.defaultThreads()).backend(),
                layout, maxRows);
        BlockAllocator allocator = new BlockAllocator(layout.blocks());
        tables = new BlockTable[batch];
        tokens = new int[batch][context + 1];
        SplittableRandom random = new SplittableRandom(1);
        plan = new StepPlan(maxRows, batch, perSequence, blockSize);
        logits = new float[batch * c.vocabSize()];
        for (int b = 0; b < batch; b++) {
            tables[b] = new BlockTable(perSequence);
            tables[b].ensureCapacity(context + 1, blockSize, allocator);
            for (int i = 0; i <= context; i++) {
                tokens[b][i] = random.nextInt(c.vocabSize());
            }
            // fill the cache: prefill the context in chunks
            for (int done = 0; done < context; done += maxRows) {
                int chunk = Math.min(maxRows, context - done);
                plan.clear();
                plan.addSequence(tables[b].array(), tables[b].count(), tokens[b], done, done + chunk, done, false);
                transformer.forward(plan, logits);
            }
        }
        plan.clear();
        for (int b = 0; b < batch; b++) {
            plan.addSequence(tables[b].array(), tables[b].count(), tokens[b], context, context + 1, context, true);
        }
        if (deviceSampling && transformer.samplesOnDevice()) {
            sampling = new DeviceSampling(batch);
            for (int b = 0; b < batch; b++) {
                sampling.set(b, 0f, 0, 1f, 0);
            }
        }
    }

    /** Every call decodes position {@code context} again: the same work each time. */
    @Benchmark
    public float[] step(Tokens counter) {
        transformer.forward(plan, logits, sampling);
        counter.tokens += batch;
        return logits;
    }

    @TearDown
    public void tearDown() {
        transformer.close();
        loaded.close();
    }
}
