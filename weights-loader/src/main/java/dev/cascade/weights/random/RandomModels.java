package dev.cascade.weights.random;

import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.RopePairing;
import dev.cascade.weights.SyntheticModel;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Models with seeded random weights and no file, for benchmarks at real shapes:
 * {@code random:SHAPE[:DTYPE]}, e.g. {@code random:llama-110m:Q8_0}. Matrices take the dtype (F32
 * by default); norms and biases stay F32 as in GGUF files. The same name always gives the same
 * weights.
 */
public final class RandomModels {
    public static final String PREFIX = "random:";

    /** The shapes we know, by name. */
    public static final Map<String, ModelConfig> SHAPES = Map.of(
            // llama2.c's TinyStories 110M shape with a Llama 2 vocabulary: 134M parameters untied
            "llama-110m", new ModelConfig("llama", 768, 2048, 12, 12, 12, 64, 32000, 2048, 1e-5f, 10000f, null,
                    RopePairing.HALVES, false, false, 0),
            // Llama 3.2 1B
            "llama-1b", new ModelConfig("llama", 2048, 8192, 16, 32, 8, 64, 128256, 131072, 1e-5f, 500000f,
                    new ModelConfig.RopeScaling("llama3", 32f, 1f, 4f, 8192), RopePairing.HALVES, false, true, 0),
            // Qwen2.5 0.5B
            "qwen2-0.5b", new ModelConfig("qwen2", 896, 4864, 24, 14, 2, 64, 151936, 32768, 1e-6f, 1000000f, null,
                    RopePairing.HALVES, true, true, 0),
            // small enough for tests
            "tiny", new ModelConfig("llama", 64, 192, 2, 4, 2, 16, 512, 256, 1e-5f, 10000f, null,
                    RopePairing.HALVES, false, false, 0));

    private RandomModels() {
    }

    public static boolean isRandom(String spec) {
        return spec.startsWith(PREFIX);
    }

    /** Builds {@code random:SHAPE[:DTYPE]}; {@code progress} (may be null) hears each tensor's parameter count. */
    /**
     * As {@link #create(String, IntConsumer)}, speaking through {@code tokenizer} (nullable), whose
     * vocabulary must fit the shape's: random weights with a real tokenizer make a model that
     * serving benchmarks can send text to.
     */
    public static Model create(String spec, IntConsumer progress, Tokenizer tokenizer) {
        Model m = create(spec, progress);
        if (tokenizer == null) {
            return m;
        }
        if (tokenizer.vocabSize() > m.config().vocabSize()) {
            m.close();
            throw new ModelFormatException("the tokenizer has " + tokenizer.vocabSize() + " tokens; " + spec + " has a vocabulary of "
                    + m.config().vocabSize());
        }
        return m.withTokenizer(tokenizer);
    }

    public static Model create(String spec, IntConsumer progress) {
        String[] parts = spec.substring(PREFIX.length()).split(":");
        ModelConfig config = SHAPES.get(parts[0]);
        if (config == null || parts.length > 2) {
            throw new ModelFormatException("unknown random model '" + spec + "'; use random:SHAPE[:DTYPE] with SHAPE one of "
                    + String.join(", ", SHAPES.keySet().stream().sorted().toList()) + " and DTYPE one of F32, F16, BF16, Q8_0, Q4_0");
        }
        DType dtype;
        try {
            dtype = parts.length == 2 ? DType.valueOf(parts[1].toUpperCase(Locale.ROOT)) : DType.F32;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("unknown dtype '" + parts[1] + "' in " + spec
                    + "; use F32, F16, BF16, Q8_0 or Q4_0");
        }
        return create(spec, config, dtype, progress);
    }

    public static Model create(String name, ModelConfig c, DType dtype, IntConsumer progress) {
        List<Spec> specs = new ArrayList<>();
        SyntheticModel.shapes(c).forEach((tensor, shape) -> {
            // matrices take the dtype; norms and biases stay F32, as in GGUF files
            boolean matrix = shape.length == 2;
            boolean norm = !matrix && !tensor.endsWith(".bias");
            specs.add(new Spec(tensor, matrix ? dtype : DType.F32, matrix ? (int) shape[0] : 1,
                    (int) shape[shape.length - 1], norm ? 0f : matrix ? scale((int) shape[1]) : 0.02f));
        });
        Arena arena = Arena.ofShared();
        try {
            Map<String, Tensor> tensors = new ConcurrentHashMap<>();
            specs.parallelStream().forEach(s -> {
                tensors.put(s.name(), s.fill(arena, name));
                if (progress != null) {
                    progress.accept(s.rows() * s.cols());
                }
            });
            return Model.builder(Model.Format.RANDOM, c).tensors(tensors).arena(arena)
                    .summary("random", name + " (" + dtype + ", seeded)").build();
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Uniform weights with the standard deviation of 1/sqrt(fan-in), as initialisers give. */
    private static float scale(int fanIn) {
        return (float) (1 / Math.sqrt(fanIn));
    }

    /** One tensor to make; std 0 means a norm gain of about 1. */
    private record Spec(String name, DType dtype, int rows, int cols, float std) {
        Tensor fill(Arena arena, String model) {
            SplittableRandom random = new SplittableRandom((model + "/" + name).hashCode() * 0x9E3779B97F4A7C15L);
            long rowBytes = dtype.byteSize(cols);
            MemorySegment data = arena.allocate(rowBytes * rows, 64);
            int chunkRows = Math.max(1, (1 << 16) / cols);
            float[] values = new float[chunkRows * cols];
            // uniform on [-a, a] has standard deviation a / sqrt(3)
            double a = std * Math.sqrt(3);
            for (int r = 0; r < rows; r += chunkRows) {
                int n = Math.min(chunkRows, rows - r);
                float[] chunk = n == chunkRows ? values : new float[n * cols];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = std == 0 ? (float) (1 + (random.nextDouble() - 0.5) * 0.2)
                            : (float) ((random.nextDouble() * 2 - 1) * a);
                }
                byte[] bytes = Quantization.encode(chunk, dtype);
                MemorySegment.copy(MemorySegment.ofArray(bytes), 0, data, r * rowBytes, bytes.length);
            }
            long[] shape = rows == 1 ? new long[] {cols} : new long[] {rows, cols};
            return new Tensor(name, dtype, shape, data);
        }
    }
}
