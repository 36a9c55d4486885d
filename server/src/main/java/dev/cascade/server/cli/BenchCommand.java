package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.bench.ThroughputRun;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.HostMemoryBandwidth;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.DType;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code cascade bench}: prefill and decode speed, llama-bench style. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prefill and decode tokens/s (median of --reps), and decode memory traffic against the machine's bandwidth.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt-tokens", paramLabel = "N", description = "Prompt length per sequence (default: ${DEFAULT-VALUE}).")
    int promptTokens = 128;

    @Option(names = "--gen-tokens", paramLabel = "N", description = "Tokens generated per sequence (default: ${DEFAULT-VALUE}).")
    int genTokens = 64;

    @Option(names = "--batch", paramLabel = "B", description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
    int batch = 1;

    @Option(names = "--reps", paramLabel = "R", description = "Measured repetitions, after one warm-up (default: ${DEFAULT-VALUE}).")
    int reps = 5;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (promptTokens < 1 || genTokens < 2 || batch < 1 || reps < 1) {
            throw new IllegalArgumentException("need --prompt-tokens >= 1, --gen-tokens >= 2, --batch >= 1, --reps >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LoadedModel loaded = modelOptions.load(err)) {
            Model m = loaded.model();
            ModelConfig c = m.config();
            if (promptTokens + genTokens > c.contextLength()) {
                throw new IllegalArgumentException("--prompt-tokens + --gen-tokens exceeds the context of " + c.contextLength());
            }
            int maxRows = Math.min(batch * promptTokens, 512);
            KvLayout layout = ThroughputRun.layoutFor(c, batch, promptTokens, genTokens, KvLayout.DEFAULT_BLOCK_SIZE);
            Transformer t = new Transformer(m, loaded.backend(), layout, Math.max(maxRows, batch));
            double[] prefill = new double[reps];
            double[] decode = new double[reps];
            err.printf("bench: warm-up, then %d repetitions%n", reps);
            err.flush();
            ThroughputRun.run(t, layout, batch, promptTokens, genTokens, 0);
            for (int r = 0; r < reps; r++) {
                ThroughputRun.Result res = ThroughputRun.run(t, layout, batch, promptTokens, genTokens, r + 1);
                prefill[r] = res.prefillTokensPerSecond();
                decode[r] = res.decodeTokensPerSecond();
                err.printf("  rep %d/%d: prefill %.1f tokens/s, decode %.1f tokens/s%n", r + 1, reps, prefill[r], decode[r]);
                err.flush();
            }
            double bandwidth = HostMemoryBandwidth.measure(modelOptions.threads, 1L << 29, 3);
            // per decoded token: the weights once per step shared by the batch, plus its own keys and values
            double kvPerToken = layout.bytesPerToken() * (promptTokens + genTokens / 2.0);
            double bytesPerToken = (double) m.weightBytes() / batch + kvPerToken;
            report(out, m, c, prefill, decode, bytesPerToken, bandwidth);
        }
        return 0;
    }

    private void report(PrintWriter out, Model m, ModelConfig c, double[] prefill, double[] decode, double bytesPerToken,
                        double bandwidth) {
        double decodeMedian = median(decode);
        double achieved = decodeMedian * bytesPerToken;
        String dtypes = dtypes(m);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("model", modelOptions.model);
            o.put("dtypes", dtypes);
            o.put("parameters", m.parameterCount());
            o.put("weight_bytes", m.weightBytes());
            o.put("backend", modelOptions.backend);
            o.put("threads", modelOptions.threads);
            o.put("batch", batch);
            o.put("prompt_tokens", promptTokens);
            o.put("gen_tokens", genTokens);
            o.put("reps", reps);
            o.set("prefill_tokens_per_s", stats(mapper, prefill));
            o.set("decode_tokens_per_s", stats(mapper, decode));
            o.put("decode_bytes_per_token", bytesPerToken);
            o.put("decode_gb_per_s", achieved / 1e9);
            o.put("memory_bandwidth_gb_per_s", bandwidth / 1e9);
            o.put("bandwidth_floor_tokens_per_s", bandwidth / bytesPerToken);
            out.println(o.toPrettyString());
        } else {
            out.printf("| %-24s | %-10s | %9s | %-7s | %7s | %5s | %-7s | %12s | %21s |%n",
                    "model", "dtype", "params", "backend", "threads", "batch", "test", "tokens/s", "min .. max");
            out.printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(26), "-".repeat(12), "-".repeat(11), "-".repeat(9),
                    "-".repeat(9), "-".repeat(7), "-".repeat(9), "-".repeat(14), "-".repeat(23));
            row(out, m, dtypes, "pp" + promptTokens, prefill);
            row(out, m, dtypes, "tg" + genTokens, decode);
            out.printf("decode memory traffic: %s per token (weights %s / batch %d + KV %s) = %.1f GB/s achieved;%n",
                    Units.bytes((long) bytesPerToken), Units.bytes(m.weightBytes()), batch,
                    Units.bytes((long) (bytesPerToken - (double) m.weightBytes() / batch)), achieved / 1e9);
            out.printf("machine read bandwidth %.1f GB/s with %d threads: floor %.1f tokens/s, achieved %.0f%% of it%n",
                    bandwidth / 1e9, modelOptions.threads, bandwidth / bytesPerToken, 100 * achieved / bandwidth);
        }
        out.flush();
    }

    private void row(PrintWriter out, Model m, String dtypes, String test, double[] values) {
        out.printf("| %-24s | %-10s | %9s | %-7s | %7d | %5d | %-7s | %12.1f | %9.1f .. %9.1f |%n",
                abbreviate(modelOptions.model), dtypes, Units.count(m.parameterCount()), modelOptions.backend,
                modelOptions.threads, batch, test, median(values), min(values), max(values));
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : "…" + s.substring(s.length() - 23);
    }

    /** The dtype of the matrices (the largest share of the bytes). */
    private static String dtypes(Model m) {
        TreeMap<Long, DType> bySize = new TreeMap<>();
        java.util.Map<DType, Long> bytes = new java.util.EnumMap<>(DType.class);
        for (Tensor t : m.tensors().values()) {
            bytes.merge(t.dtype(), t.data().byteSize(), Long::sum);
        }
        bytes.forEach((d, b) -> bySize.put(b, d));
        return bySize.lastEntry().getValue().name();
    }

    private static ObjectNode stats(ObjectMapper mapper, double[] v) {
        ObjectNode o = mapper.createObjectNode();
        o.put("median", median(v));
        o.put("min", min(v));
        o.put("max", max(v));
        return o;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
