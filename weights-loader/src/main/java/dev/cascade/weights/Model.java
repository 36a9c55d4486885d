package dev.cascade.weights;

import dev.cascade.weights.tokenizer.Tokenizer;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded model: its configuration, its tensors (under {@link TensorNames}), and its tokenizer.
 * The tensors point into memory-mapped files owned by {@code arena}; closing the model unmaps them.
 */
public final class Model implements AutoCloseable {

    /** The file format a model came from. */
    public enum Format { SAFETENSORS, GGUF, LLAMA2C }

    private final Format format;
    private final ModelConfig config;
    private final Map<String, Tensor> tensors;
    private final Tokenizer tokenizer;
    private final String chatTemplate;
    private final List<Path> files;
    private final Arena arena;

    public Model(Format format, ModelConfig config, Map<String, Tensor> tensors, Tokenizer tokenizer,
                 String chatTemplate, List<Path> files, Arena arena) {
        this.format = Objects.requireNonNull(format);
        this.config = Objects.requireNonNull(config);
        this.tensors = Map.copyOf(tensors);
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.files = List.copyOf(files);
        this.arena = arena;
    }

    public Format format() {
        return format;
    }

    public ModelConfig config() {
        return config;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(files.getFirst(), "missing tensor " + name);
        }
        return t;
    }

    /** The tokenizer, or null where the files carry none (a llama2.c model without --tokenizer). */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The Jinja chat template, or null. */
    public String chatTemplate() {
        return chatTemplate;
    }

    /** The files the weights were read from. */
    public List<Path> files() {
        return files;
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.elementCount();
        }
        return n;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }
}
