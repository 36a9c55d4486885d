package dev.cascade.server.cli;

import dev.cascade.kernels.Backends;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** The options every command that runs a model shares. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "A Hugging Face folder, a .gguf file, a llama2.c .bin with --tokenizer, "
                    + "demo-tiny, demo-small, demo-base, or random:SHAPE[:DTYPE] (shapes: llama-110m, llama-1b, qwen2-0.5b, tiny).")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "The tokenizer of a llama2.c model (its .bin).")
    Path tokenizer;

    @Option(names = "--backend", paramLabel = "B", description = "auto, cpu, cuda or scalar (default: ${DEFAULT-VALUE}).")
    String backend = "auto";

    @Option(names = "--threads", paramLabel = "N", description = "CPU worker threads (default: the machine's cores).")
    int threads = Backends.defaultThreads();

    LoadedModel load(PrintWriter log) {
        Backends.Choice choice = Backends.create(backend, threads);
        try {
            Model m = ModelLoader.open(model, tokenizer);
            log.println("model: " + model + " (" + m.format().name().toLowerCase() + ", "
                    + String.format("%,d", m.parameterCount()) + " parameters)");
            log.println("backend: " + choice.reason());
            log.flush();
            return new LoadedModel(m, choice.backend());
        } catch (RuntimeException e) {
            choice.backend().close();
            throw e;
        }
    }
}
