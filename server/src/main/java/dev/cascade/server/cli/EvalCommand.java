package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.server.config.Cascades;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.eval.EvalDataset;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.eval.EvalReport;
import dev.cascade.engine.eval.Evaluator;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cascade eval}: accuracy of a model on a labelled JSONL set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Run a JSONL dataset (prompt, answer, difficulty, checker) through a model, greedily and in "
                + "batches, and print accuracy by difficulty, tokens generated and wall time.")
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "The JSONL evaluation set.")
    Path dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N items.")
    Integer limit;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences generated together (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens generated per item at most (default: ${DEFAULT-VALUE}).")
    int maxTokens = 48;

    @Option(names = "--json", description = "Print one JSON object with items, accuracy and by_difficulty.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE", description = "A serve config: --model may then name one of its cascades.")
    Path config;

    @Option(names = "--output", paramLabel = "FILE", description = "Write each item's completion and verdict as JSONL.")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("--batch and --max-tokens must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<EvalItem> items = EvalDataset.read(dataset);
        if (limit != null) {
            items = items.subList(0, Math.min(limit, items.size()));
        }
        if (config != null) {
            var file = dev.cascade.server.config.ConfigFile.load(config);
            var found = file.cascades() == null ? null
                    : file.cascades().stream().filter(c -> modelOptions.model.equals(c.name())).findFirst().orElse(null);
            if (found == null) {
                throw new IllegalArgumentException(config + " has no cascade named " + modelOptions.model);
            }
            CascadeEval.run(found, name -> file.models() == null ? name : file.models().stream()
                            .filter(m -> name.equals(m.apiName())).map(m -> m.model()).findFirst().orElse(name),
                    items, maxTokens, modelOptions.backend, modelOptions.threads, json, out, err);
            return 0;
        }
        if (modelOptions.model.equals(Cascades.DEMO.name())) {
            CascadeEval.run(Cascades.DEMO, name -> name, items, maxTokens, modelOptions.backend,
                    modelOptions.threads, json, out, err);
            return 0;
        }
        try (LoadedModel loaded = modelOptions.load(err)) {
            Model m = loaded.model();
            if (m.tokenizer() == null) {
                throw new IllegalArgumentException("this model has no tokenizer; llama2.c models take --tokenizer PATH");
            }
            ModelConfig c = m.config();
            int longestPrompt = 0;
            for (EvalItem item : items) {
                longestPrompt = Math.max(longestPrompt, m.tokenizer().encode(item.prompt(), true).length);
            }
            int perSequence = Math.min(c.contextLength(), longestPrompt + maxTokens);
            int blocksPerSequence = (perSequence + KvLayout.DEFAULT_BLOCK_SIZE - 1) / KvLayout.DEFAULT_BLOCK_SIZE;
            KvLayout layout = new KvLayout(c.layers(), batch * blocksPerSequence, KvLayout.DEFAULT_BLOCK_SIZE,
                    c.kvHeads(), c.headDim());
            Transformer t = new Transformer(m, loaded.backend(), layout, Math.min(batch * longestPrompt, 1024));
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, batch);
            Evaluator evaluator = new Evaluator(g, m.tokenizer(), batch, maxTokens, SamplingParams.GREEDY);
            int total = items.size();
            EvalReport report = evaluator.run(items, done -> {
                err.printf("\reval: %d/%d items", done, total);
                err.flush();
            });
            err.println();
            if (output != null) {
                writeResults(report);
            }
            print(out, report);
        }
        return 0;
    }

    private void writeResults(EvalReport report) throws java.io.IOException {
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (EvalReport.Result r : report.results()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", r.item().id());
                o.put("difficulty", r.item().difficulty());
                o.put("completion", r.completion());
                o.put("answer", r.item().answer());
                o.put("correct", r.correct());
                w.write(JSON.writeValueAsString(o));
                w.newLine();
            }
        }
    }

    private void print(PrintWriter out, EvalReport report) {
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("model", modelOptions.model);
            o.put("dataset", dataset.toString());
            o.put("items", report.items());
            o.put("accuracy", report.accuracy());
            ObjectNode by = o.putObject("by_difficulty");
            report.byDifficulty().forEach(by::put);
            ObjectNode counts = o.putObject("count_by_difficulty");
            report.countByDifficulty().forEach(counts::put);
            o.put("generated_tokens", report.generatedTokens());
            o.put("wall_seconds", report.wallSeconds());
            o.put("tokens_per_second", report.generatedTokens() / report.wallSeconds());
            out.println(o.toPrettyString());
        } else {
            out.printf("%-12s %7s %9s%n", "difficulty", "items", "accuracy");
            report.byDifficulty().forEach((k, v) ->
                    out.printf("%-12s %7d %8.1f%%%n", k, report.countByDifficulty().get(k), 100 * v));
            out.printf("%-12s %7d %8.1f%%%n", "all", report.items(), 100 * report.accuracy());
            out.printf("generated %d tokens in %.1f s (%.1f tokens/s)%n", report.generatedTokens(), report.wallSeconds(),
                    report.generatedTokens() / report.wallSeconds());
        }
        out.flush();
    }
}
