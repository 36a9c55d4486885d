package dev.cascade.server.cli;

import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code cascade inspect}: what a model file holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model's format, architecture, hyper-parameters, vocabulary, tensors and size.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "A Hugging Face folder, a .gguf file, a llama2.c .bin file, demo-tiny/small/base, "
                    + "or random:SHAPE[:DTYPE].")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "The tokenizer .bin of a llama2.c model.")
    Path tokenizer;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Model m = ModelLoader.openWeights(model)) {
            ModelConfig c = m.config();
            long bytes = 0;
            for (Path f : m.files()) {
                bytes += Files.size(f);
            }
            Map<DType, Integer> byType = new TreeMap<>();
            for (Tensor t : m.tensors().values()) {
                byType.merge(t.dtype(), 1, Integer::sum);
            }
            row(out, "file", m.files().isEmpty() ? model : ModelLoader.pathOf(model).toAbsolutePath().normalize().toString());
            row(out, "format", m.format().name().toLowerCase());
            row(out, "architecture", c.architecture());
            row(out, "dim", c.dim());
            row(out, "hidden dim", c.hiddenDim());
            row(out, "layers", c.layers());
            row(out, "heads", c.heads());
            row(out, "kv heads", c.kvHeads());
            row(out, "head dim", c.headDim());
            row(out, "context length", c.contextLength());
            row(out, "norm eps", c.normEps());
            row(out, "rope theta", c.ropeTheta());
            row(out, "rope pairing", c.ropePairing().name().toLowerCase());
            if (c.ropeScaling() != null) {
                ModelConfig.RopeScaling s = c.ropeScaling();
                row(out, "rope scaling", s.type() + " factor " + s.factor() + " low " + s.lowFreqFactor()
                        + " high " + s.highFreqFactor() + " original context " + s.originalContextLength());
            }
            row(out, "attention bias", c.attentionBias());
            row(out, "tied embeddings", c.tiedEmbeddings());
            if (c.slidingWindow() > 0) {
                row(out, "sliding window", c.slidingWindow());
            }
            row(out, "vocab size", c.vocabSize());
            row(out, "tokenizer", describeTokenizer());
            row(out, "chat template", m.chatTemplate() == null ? "none" : m.chatTemplate().length() + " characters");
            row(out, "tensors", m.tensors().size());
            StringBuilder types = new StringBuilder();
            byType.forEach((t, n) -> types.append(types.isEmpty() ? "" : ", ").append(t).append(" ×").append(n));
            row(out, "dtypes", types.toString());
            row(out, "parameters", String.format("%,d (%s)", m.parameterCount(), Units.count(m.parameterCount())));
            row(out, "file size", String.format("%,d bytes (%s)", bytes, Units.bytes(bytes)));
            if (!m.summary().isEmpty()) {
                out.println("file details:");
                m.summary().forEach((k, v) -> out.printf("  %-30s %s%n", k, v));
            }
        }
        return 0;
    }

    private String describeTokenizer() {
        try {
            Tokenizer tok = ModelLoader.loadTokenizer(ModelLoader.pathOf(model), tokenizer);
            return tok.vocabSize() + " tokens (" + tok.getClass().getSimpleName() + ")";
        } catch (ModelFormatException | UnsupportedOperationException e) {
            return "none: " + e.getMessage();
        }
    }

    private static void row(PrintWriter out, String key, Object value) {
        out.printf("%-16s %s%n", key, value);
    }
}
