package dev.cascade.weights.llama2c;

import dev.cascade.weights.DType;
import dev.cascade.weights.GenerationDefaults;
import dev.cascade.weights.MappedFiles;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelTensors;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TensorNames;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads a legacy (version 0) llama2.c checkpoint: a 7-int32 header, then float32 arrays with all
 * layers of one kind together; we slice each layer out under {@link TensorNames}. The stored RoPE
 * tables are skipped (the engine computes RoPE itself).
 */
public final class Llama2cReader {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** "ak42", the magic of llama2.c's newer export versions, read as a little-endian int32. */
    private static final int NEW_EXPORT_MAGIC = 0x616b3432;
    /** llama2.c's run.c stops when the model emits BOS. */
    static final int BOS = 1;

    private Llama2cReader() {
    }

    /** Reads only the header (e.g. for the vocabulary size a tokenizer file needs). */
    public static Llama2cHeader readHeader(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            return header(MappedFiles.map(path, arena), path);
        }
    }

    private static Llama2cHeader header(MemorySegment file, Path path) {
        if (file.byteSize() < Llama2cHeader.BYTES) {
            throw new ModelFormatException(path, "not a llama2.c checkpoint: " + file.byteSize()
                    + " bytes is shorter than the 28-byte header");
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = file.get(I32, 4L * i);
        }
        if (Integer.reverseBytes(h[0]) == NEW_EXPORT_MAGIC) {
            throw new ModelFormatException(path, "llama2.c export version " + h[1] + " (magic ak42) is not supported;"
                    + " only the legacy version-0 format that run.c reads");
        }
        Llama2cHeader header = new Llama2cHeader(h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
        header.validate(path);
        return header;
    }

    public static Model.Builder read(Path path, Arena arena) {
        MemorySegment file = MappedFiles.map(path, arena);
        Llama2cHeader h = header(file, path);
        long expected = h.expectedFileBytes();
        if (expected != file.byteSize()) {
            throw new ModelFormatException(path, "llama2.c header " + h + " implies " + expected
                    + " bytes but the file has " + file.byteSize()
                    + (expected > file.byteSize() ? " (truncated?)" : " (trailing data, or not a llama2.c checkpoint)"));
        }
        ModelConfig config = h.toConfig();
        Slicer s = new Slicer(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long d = h.dim();
        long hd = h.hiddenDim();
        long kv = h.kvDim();
        s.whole(tensors, TensorNames.TOKEN_EMBEDDING, h.vocab(), d);
        s.perLayer(tensors, h.layers(), TensorNames::attnNorm, d);
        s.perLayer(tensors, h.layers(), TensorNames::attnQ, d, d);
        s.perLayer(tensors, h.layers(), TensorNames::attnK, kv, d);
        s.perLayer(tensors, h.layers(), TensorNames::attnV, kv, d);
        s.perLayer(tensors, h.layers(), TensorNames::attnOutput, d, d);
        s.perLayer(tensors, h.layers(), TensorNames::ffnNorm, d);
        s.perLayer(tensors, h.layers(), TensorNames::ffnGate, hd, d);
        s.perLayer(tensors, h.layers(), TensorNames::ffnDown, d, hd);
        s.perLayer(tensors, h.layers(), TensorNames::ffnUp, hd, d);
        s.whole(tensors, TensorNames.OUTPUT_NORM, d);
        s.skip(2L * h.seqLen() * (h.headSize() / 2));  // freq_cis_real and freq_cis_imag
        if (!h.sharedClassifier()) {
            s.whole(tensors, TensorNames.OUTPUT, h.vocab(), d);
        }
        ModelTensors.check(config, tensors, path);
        return Model.builder(Model.Format.LLAMA2C, config)
                .tensors(tensors)
                .files(List.of(path))
                .fileBytes(file.byteSize())
                .eosTokenIds(List.of(BOS))
                .bosTokenId(BOS)
                .generationDefaults(GenerationDefaults.NONE)
                .summary("format", "llama2.c version 0 (legacy)")
                .summary("header", "dim=" + h.dim() + " hidden_dim=" + h.hiddenDim() + " n_layers=" + h.layers()
                        + " n_heads=" + h.heads() + " n_kv_heads=" + h.kvHeads() + " vocab_size=" + h.vocabSize()
                        + " seq_len=" + h.seqLen())
                .summary("classifier", h.sharedClassifier() ? "shared with the token embedding" : "separate")
                .summary("dtype", "F32");
    }

    /** Walks the float arrays in file order, cutting tensors out of the mapping without copying. */
    private static final class Slicer {
        private final MemorySegment file;
        private long position = Llama2cHeader.BYTES;

        Slicer(MemorySegment file) {
            this.file = file;
        }

        void whole(Map<String, Tensor> out, String name, long... shape) {
            long bytes = DType.F32.byteSize(Tensor.elementCount(shape));
            out.put(name, new Tensor(name, DType.F32, shape, file.asSlice(position, bytes)));
            position += bytes;
        }

        void perLayer(Map<String, Tensor> out, int layers, IntFunction<String> name, long... shape) {
            for (int l = 0; l < layers; l++) {
                whole(out, name.apply(l), shape);
            }
        }

        void skip(long floats) {
            position += floats * 4;
        }
    }
}
