package dev.cascade.weights;

import dev.cascade.weights.gguf.GgufFile;
import dev.cascade.weights.gguf.GgufModelReader;
import dev.cascade.weights.hf.HfModelReader;
import dev.cascade.weights.llama2c.Llama2cReader;
import dev.cascade.weights.random.RandomModels;
import dev.cascade.weights.tokenizer.HfTokenizerJson;
import dev.cascade.weights.tokenizer.Llama2cTokenizer;
import dev.cascade.weights.tokenizer.Tokenizer;
import dev.cascade.weights.tokenizer.Tokenizers;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads a model from whatever it is stored as: a Hugging Face folder (config.json + safetensors),
 * a {@code .gguf} file, or a llama2.c {@code .bin} checkpoint (whose tokenizer is a separate file).
 */
public final class ModelLoader {
    private static final String KINDS = "a Hugging Face folder, a .gguf file or a llama2.c .bin checkpoint";

    private ModelLoader() {
    }

    /**
     * A model named as users name it: {@code random:SHAPE[:DTYPE]} for seeded random weights
     * (see {@link RandomModels}), {@code demo-tiny}, {@code demo-small} or {@code demo-base} for the
     * bundled demo family (see {@link DemoModels}), otherwise a path as for {@link #load(Path, Path)}.
     */
    public static Model open(String spec, Path tokenizer) {
        if (RandomModels.isRandom(spec)) {
            return RandomModels.create(spec, null, tokenizer == null ? null : loadTokenizer(null, tokenizer));
        }
        return load(pathOf(spec), tokenizer);
    }

    /** As {@link #open} without the tokenizer (for inspecting weights). */
    public static Model openWeights(String spec) {
        if (RandomModels.isRandom(spec)) {
            return RandomModels.create(spec, null);
        }
        return loadWeights(pathOf(spec));
    }

    /** The file or folder a model name stands for: a demo model's folder, or the path itself. */
    public static Path pathOf(String spec) {
        if (RandomModels.isRandom(spec)) {
            throw new ModelFormatException(spec + " is a random model: it has no files (and no tokenizer)");
        }
        return DemoModels.isDemo(spec) ? DemoModels.folder(spec) : Path.of(spec);
    }

    /**
     * The model and its tokenizer. {@code tokenizer} (nullable) overrides the model's own: a
     * tokenizer.json or HF folder, a .gguf, or a llama2.c tokenizer .bin. A llama2.c model without
     * one loads with no tokenizer.
     */
    public static Model load(Path model, Path tokenizer) {
        return load(model, tokenizer, true);
    }

    /** Weights, configuration and generation settings only; {@link Model#tokenizer()} is null. */
    public static Model loadWeights(Path model) {
        return load(model, null, false);
    }

    private static Model load(Path model, Path tokenizer, boolean withTokenizer) {
        Model.Format format = detect(model);
        Arena arena = Arena.ofShared();
        try {
            Model.Builder b;
            Tokenizer tok = null;
            switch (format) {
                case SAFETENSORS -> {
                    Path folder = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
                    b = HfModelReader.read(folder, arena);
                    if (withTokenizer && tokenizer == null) {
                        tok = HfTokenizerJson.load(folder);
                    }
                }
                case GGUF -> {
                    GgufFile f = GgufFile.open(model, arena);
                    b = GgufModelReader.read(f);
                    if (withTokenizer && tokenizer == null) {
                        tok = Tokenizers.fromGguf(f.metadata(), model);
                    }
                }
                case LLAMA2C -> b = Llama2cReader.read(model, arena);
                default -> throw new AssertionError(format);
            }
            if (withTokenizer && tokenizer != null) {
                tok = tokenizerFile(tokenizer, b.config().vocabSize());
            }
            return b.tokenizer(tok).arena(arena).build();
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * A tokenizer without the weights: from {@code tokenizer} when given (a llama2.c tokenizer .bin
     * takes its vocabulary size from the llama2.c {@code model}), else from the model: an HF folder
     * (tokenizer.json is enough, config.json is not needed) or a GGUF file (vocabulary-only ones too).
     */
    public static Tokenizer loadTokenizer(Path model, Path tokenizer) {
        if (tokenizer != null) {
            int vocab = model != null && detect(model) == Model.Format.LLAMA2C
                    ? Llama2cReader.readHeader(model).vocab() : -1;
            return tokenizerFile(tokenizer, vocab);
        }
        return switch (detect(model)) {
            case SAFETENSORS -> {
                Path folder = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
                if (!Files.isRegularFile(folder.resolve("tokenizer.json"))) {
                    throw new ModelFormatException(folder, "has no tokenizer.json");
                }
                yield HfTokenizerJson.load(folder);
            }
            case GGUF -> ggufTokenizer(model);
            case LLAMA2C -> throw new ModelFormatException(model, "a llama2.c checkpoint carries no tokenizer;"
                    + " pass its tokenizer .bin (e.g. tok512.bin) as well");
            case RANDOM -> throw new AssertionError("detect never names a file RANDOM");
        };
    }

    private static Tokenizer tokenizerFile(Path tokenizer, int vocabSize) {
        if (!Files.exists(tokenizer)) {
            throw new ModelFormatException(tokenizer, "tokenizer does not exist");
        }
        if (Files.isDirectory(tokenizer)) {
            return HfTokenizerJson.load(tokenizer);
        }
        requireNonEmpty(tokenizer);
        String ext = extension(tokenizer);
        return switch (ext) {
            case "json" -> HfTokenizerJson.load(tokenizer);
            case "gguf" -> ggufTokenizer(tokenizer);
            case "bin" -> {
                if (vocabSize <= 0) {
                    throw new ModelFormatException(tokenizer, "a llama2.c tokenizer file does not store its vocabulary"
                            + " size; load it together with its llama2.c model");
                }
                yield Llama2cTokenizer.load(tokenizer, vocabSize);
            }
            default -> throw new ModelFormatException(tokenizer, "unknown tokenizer file type '." + ext
                    + "'; expected a tokenizer.json (or its folder), a .gguf, or a llama2.c tokenizer .bin");
        };
    }

    private static Tokenizer ggufTokenizer(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            // The metadata arrays live on the heap, so the tokenizer outlives the mapping.
            return Tokenizers.fromGguf(f.metadata(), file);
        }
    }

    /** Which reader a path needs; a missing path, an empty file or an unknown extension is an error. */
    public static Model.Format detect(Path model) {
        if (model == null) {
            throw new ModelFormatException("no model path given");
        }
        if (!Files.exists(model)) {
            throw new ModelFormatException(model, "does not exist");
        }
        if (Files.isDirectory(model)) {
            return Model.Format.SAFETENSORS;
        }
        requireNonEmpty(model);
        String ext = extension(model);
        return switch (ext) {
            case "gguf" -> Model.Format.GGUF;
            case "bin" -> Model.Format.LLAMA2C;
            case "safetensors" -> {
                Path parent = model.toAbsolutePath().getParent();
                if (parent == null || !Files.isRegularFile(parent.resolve(HfModelReader.CONFIG))) {
                    throw new ModelFormatException(model, "a .safetensors file needs the config.json of its"
                            + " Hugging Face folder; pass the folder");
                }
                yield Model.Format.SAFETENSORS;
            }
            default -> throw new ModelFormatException(model, "unknown model file type '."
                    + ext + "'; expected " + KINDS);
        };
    }

    private static void requireNonEmpty(Path file) {
        try {
            if (Files.size(file) == 0) {
                throw new ModelFormatException(file, "file is empty");
            }
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
