package dev.cascade.weights;

import dev.cascade.weights.tokenizer.Tokenizer;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded model: its configuration, its tensors (under {@link TensorNames}), its tokenizer and what
 * its files say about generation. The tensors point into memory-mapped files owned by {@code arena};
 * closing the model unmaps them.
 */
public final class Model implements AutoCloseable {

    /** The file format a model came from. */
    public enum Format { SAFETENSORS, GGUF, LLAMA2C, RANDOM }

    private final Format format;
    private final ModelConfig config;
    private final Map<String, Tensor> tensors;
    private final Tokenizer tokenizer;
    private final String chatTemplate;
    private final List<Path> files;
    private final Arena arena;
    private final List<Integer> eosTokenIds;
    private final int bosTokenId;
    private final GenerationDefaults generationDefaults;
    private final long fileBytes;
    private final Map<String, String> summary;

    public Model(Format format, ModelConfig config, Map<String, Tensor> tensors, Tokenizer tokenizer,
                 String chatTemplate, List<Path> files, Arena arena) {
        this(builder(format, config).tensors(tensors).tokenizer(tokenizer).chatTemplate(chatTemplate).files(files)
                .arena(arena));
    }

    private Model(Builder b) {
        this.format = Objects.requireNonNull(b.format);
        this.config = Objects.requireNonNull(b.config);
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(b.tensors));
        this.tokenizer = b.tokenizer;
        this.chatTemplate = b.chatTemplate;
        this.files = List.copyOf(b.files);
        this.arena = b.arena;
        this.eosTokenIds = List.copyOf(b.eosTokenIds);
        this.bosTokenId = b.bosTokenId;
        this.generationDefaults = Objects.requireNonNull(b.generationDefaults);
        this.fileBytes = b.fileBytes;
        this.summary = Collections.unmodifiableMap(new LinkedHashMap<>(b.summary));
    }

    /**
     * This model's weights speaking through another tokenizer, whose special tokens become the
     * model's BOS and EOS. The result takes over the weights' memory: close it, not this one.
     */
    public Model withTokenizer(Tokenizer newTokenizer) {
        Builder b = builder(format, config).tensors(tensors).tokenizer(newTokenizer).chatTemplate(chatTemplate).files(files)
                .arena(arena).eosTokenIds(newTokenizer.specialTokens().eos()).bosTokenId(newTokenizer.specialTokens().bos())
                .generationDefaults(generationDefaults).fileBytes(fileBytes);
        summary.forEach(b::summary);
        return new Model(b);
    }

    public static Builder builder(Format format, ModelConfig config) {
        return new Builder(format, config);
    }

    public Format format() {
        return format;
    }

    public ModelConfig config() {
        return config;
    }

    /** All tensors, in file order, under {@link TensorNames}. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(files.isEmpty() ? Path.of("?") : files.getFirst(), "missing tensor " + name);
        }
        return t;
    }

    /** The tokenizer, or null where none was loaded (a llama2.c model without --tokenizer, or weights only). */
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

    /**
     * Token ids that end generation, as the model files name them (config.json and
     * generation_config.json, GGUF's eos/eot ids, llama2.c's BOS). May be empty.
     */
    public List<Integer> eosTokenIds() {
        return eosTokenIds;
    }

    /** The beginning-of-sequence id the files name, or -1. */
    public int bosTokenId() {
        return bosTokenId;
    }

    public GenerationDefaults generationDefaults() {
        return generationDefaults;
    }

    /** Total size of {@link #files()} in bytes. */
    public long fileBytes() {
        return fileBytes;
    }

    /** Format-specific facts about the files for display (e.g. by an {@code inspect} command), in order. */
    public Map<String, String> summary() {
        return summary;
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.elementCount();
        }
        return n;
    }

    /** Bytes taken by the weights in their stored dtypes. */
    public long weightBytes() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.data().byteSize();
        }
        return n;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
    }

    /** Collects a model's parts; the format readers fill in what their files carry. */
    public static final class Builder {
        private final Format format;
        private final ModelConfig config;
        private Map<String, Tensor> tensors = Map.of();
        private Tokenizer tokenizer;
        private String chatTemplate;
        private List<Path> files = List.of();
        private Arena arena;
        private List<Integer> eosTokenIds = List.of();
        private int bosTokenId = -1;
        private GenerationDefaults generationDefaults = GenerationDefaults.NONE;
        private long fileBytes;
        private final Map<String, String> summary = new LinkedHashMap<>();

        private Builder(Format format, ModelConfig config) {
            this.format = format;
            this.config = config;
        }

        public ModelConfig config() {
            return config;
        }

        public List<Path> files() {
            return files;
        }

        public Builder tensors(Map<String, Tensor> tensors) {
            this.tensors = tensors;
            return this;
        }

        public Builder tokenizer(Tokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate;
            return this;
        }

        public Builder files(List<Path> files) {
            this.files = new ArrayList<>(files);
            return this;
        }

        public Builder arena(Arena arena) {
            this.arena = arena;
            return this;
        }

        public Builder eosTokenIds(List<Integer> eosTokenIds) {
            this.eosTokenIds = eosTokenIds;
            return this;
        }

        public Builder bosTokenId(int bosTokenId) {
            this.bosTokenId = bosTokenId;
            return this;
        }

        public Builder generationDefaults(GenerationDefaults generationDefaults) {
            this.generationDefaults = generationDefaults;
            return this;
        }

        public Builder fileBytes(long fileBytes) {
            this.fileBytes = fileBytes;
            return this;
        }

        public Builder summary(String key, String value) {
            summary.put(key, value);
            return this;
        }

        public Model build() {
            return new Model(this);
        }
    }
}
