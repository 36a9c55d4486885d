package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.cascade.CascadeEvaluator;
import dev.cascade.engine.cascade.CascadeSpec;
import dev.cascade.engine.cascade.EvalStage;
import dev.cascade.server.config.CascadeSettings;
import dev.cascade.server.config.Cascades;
import dev.cascade.server.config.StageSettings;
import dev.cascade.server.http.RemoteStage;
import dev.cascade.engine.cascade.StageTrace;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.eval.Evaluator;
import dev.cascade.server.loadtest.Percentiles;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.Scheduler;
import dev.cascade.engine.generate.SchedulerLimits;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** {@code cascade eval} on a cascade: the cascade against its last stage alone on the same items. */
final class CascadeEval {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IN_FLIGHT = 32;

    private CascadeEval() {
    }

    /**
     * @param modelSpec what to load for a stage's (or a judge's) model name; a stage with a
     *                  {@code url} runs on that server instead
     */
    static void run(CascadeSettings settings, Function<String, String> modelSpec, List<EvalItem> items, int maxTokens, String backend,
                    int threads, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        try (JudgeLoops judges = new JudgeLoops(modelSpec, backend, threads, IN_FLIGHT)) {
            run(settings, Cascades.spec(settings, false, judges), modelSpec, items, maxTokens, backend, threads, json, out, err);
        }
    }

    private static void run(CascadeSettings settings, CascadeSpec spec, Function<String, String> modelSpec, List<EvalItem> items,
                            int maxTokens, String backend, int threads, boolean json, PrintWriter out, PrintWriter err) throws Exception {
        List<Model> models = new ArrayList<>();
        List<ServingLoop> loops = new ArrayList<>();
        List<EvalStage> stages = new ArrayList<>();
        try {
            for (int i = 0; i < spec.stages().size(); i++) {
                StageSettings configured = settings.stages().get(i);
                if (configured.url() != null) {
                    stages.add(RemoteStage.of(spec.name(), configured).evalStage());
                    continue;
                }
                String name = spec.stages().get(i).model();
                Model m = ModelLoader.open(modelSpec.apply(name), null);
                models.add(m);
                if (m.tokenizer() == null) {
                    throw new IllegalArgumentException(name + " has no tokenizer");
                }
                var c = m.config();
                int perContext = (c.contextLength() + KvLayout.DEFAULT_BLOCK_SIZE - 1) / KvLayout.DEFAULT_BLOCK_SIZE;
                KvLayout layout = new KvLayout(c.layers(), IN_FLIGHT * perContext, KvLayout.DEFAULT_BLOCK_SIZE, c.kvHeads(), c.headDim());
                Transformer t = new Transformer(m, Backends.create(backend, threads).backend(), layout, 512);
                ServingLoop loop = new ServingLoop(new Scheduler(t, m.tokenizer(), EndTokens.of(m), layout,
                        new SchedulerLimits(IN_FLIGHT, 512)), 2 * IN_FLIGHT + 1, "eval-" + name);
                loops.add(loop);
                stages.add(EvalStage.local(loop, m.tokenizer()));
            }
            if (loops.isEmpty() && countsTokens(spec)) {
                err.println("note: " + spec.name() + " has no local stage; its min_prompt_tokens routes count about 4 characters "
                        + "a token, as serving does");
            }
            long start = System.nanoTime();
            int total = items.size();
            List<CascadeEvaluator.ItemResult> results;
            try {
                results = new CascadeEvaluator(spec, stages, maxTokens, IN_FLIGHT).run(items, done -> {
                    if (!json) {
                        err.printf("\reval %s: %d/%d items", spec.name(), done, total);
                        err.flush();
                    }
                });
            } catch (ExecutionException e) {
                if (!json) {
                    err.println();
                }
                throw new StageFailure("eval of " + spec.name() + " stopped: " + e.getMessage(), e.getCause());
            }
            if (!json) {
                err.println();
            }
            report(spec, results, (System.nanoTime() - start) / 1e9, json, out);
        } finally {
            loops.forEach(ServingLoop::close);
            models.forEach(Model::close);
        }
    }

    /** Whether a routing rule of the cascade counts prompt tokens. */
    static boolean countsTokens(CascadeSpec spec) {
        return spec.routes().stream().anyMatch(r -> r.minPromptTokens() > 0);
    }

    private static void report(CascadeSpec spec, List<CascadeEvaluator.ItemResult> results, double seconds, boolean json,
                               PrintWriter out) {
        int n = results.size();
        String lastName = spec.stages().getLast().model();
        Map<String, int[]> byDifficulty = new TreeMap<>(Evaluator::byDifficulty);
        int correct = 0, aloneCorrect = 0, escalated = 0, early = 0, routed = 0;
        double cost = 0, aloneCost = 0;
        Map<String, Integer> answeredBy = new LinkedHashMap<>();
        spec.stages().forEach(s -> answeredBy.put(s.model(), 0));
        double[] latency = new double[n];
        double[] aloneLatency = new double[n];
        for (int i = 0; i < n; i++) {
            var r = results.get(i);
            int[] t = byDifficulty.computeIfAbsent(r.item().difficulty(), k -> new int[3]);
            t[0] += r.correct() ? 1 : 0;
            t[1] += r.aloneCorrect() ? 1 : 0;
            t[2]++;
            correct += r.correct() ? 1 : 0;
            aloneCorrect += r.aloneCorrect() ? 1 : 0;
            escalated += r.cascade().stages().size() > 1 ? 1 : 0;
            routed += r.cascade().start().stage() > 0 ? 1 : 0;
            early += (int) r.cascade().stages().stream().filter(StageTrace::earlyEscalated).count();
            cost += r.cascade().cost();
            aloneCost += r.aloneCost();
            answeredBy.merge(spec.stages().get(r.cascade().answeredBy()).model(), 1, Integer::sum);
            latency[i] = r.latencyMs();
            aloneLatency[i] = r.aloneLatencyMs();
        }
        double relative = aloneCost == 0 ? Double.NaN : cost / aloneCost;
        Percentiles lat = Percentiles.of(latency);
        Percentiles aloneLat = Percentiles.of(aloneLatency);
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("model", spec.name());
            o.put("items", n);
            o.put("accuracy", correct / (double) n);
            ObjectNode by = o.putObject("by_difficulty");
            byDifficulty.forEach((k, t) -> by.put(k, t[0] / (double) t[2]));
            o.put("cost", cost);
            o.put("cost_relative_to_last_stage", relative);
            o.put("escalation_rate", escalated / (double) n);
            o.put("early_escalations", early);
            o.put("started_past_first_stage", routed / (double) n);
            ObjectNode stages = o.putObject("answered_by_stage");
            answeredBy.forEach((k, v) -> stages.put(k, v / (double) n));
            ObjectNode latencyMs = o.putObject("latency_ms");
            latencyMs.put("p50", lat.p50());
            latencyMs.put("p95", lat.p95());
            ObjectNode last = o.putObject("last_stage_alone");
            last.put("model", lastName);
            last.put("accuracy", aloneCorrect / (double) n);
            ObjectNode lastBy = last.putObject("by_difficulty");
            byDifficulty.forEach((k, t) -> lastBy.put(k, t[1] / (double) t[2]));
            last.put("cost", aloneCost);
            ObjectNode lastLat = last.putObject("latency_ms");
            lastLat.put("p50", aloneLat.p50());
            lastLat.put("p95", aloneLat.p95());
            o.put("wall_seconds", seconds);
            out.println(o.toPrettyString());
            return;
        }
        out.printf("%-12s %7s %10s %14s%n", "difficulty", "items", spec.name(), lastName + " alone");
        byDifficulty.forEach((k, t) -> out.printf("%-12s %7d %9.1f%% %13.1f%%%n", k, t[2], 100.0 * t[0] / t[2], 100.0 * t[1] / t[2]));
        out.printf("%-12s %7d %9.1f%% %13.1f%%%n", "all", n, 100.0 * correct / n, 100.0 * aloneCorrect / n);
        out.printf("cost: %.1f against %.1f for %s alone (%.1f%%)%n", cost, aloneCost, lastName, 100 * relative);
        out.printf("escalation rate: %.1f%% (%d early escalations)%n", 100.0 * escalated / n, early);
        if (!spec.routes().isEmpty() || spec.router() != null) {
            out.printf("started past the first stage (routes, router): %.1f%%%n", 100.0 * routed / n);
        }
        out.println("answered by: " + String.join(", ", answeredBy.entrySet().stream()
                .map(e -> String.format("%s %.1f%%", e.getKey(), 100.0 * e.getValue() / n)).toList()));
        out.printf("latency p50/p95: cascade %.0f/%.0f ms, %s alone %.0f/%.0f ms (%d requests in flight); wall %.1f s%n",
                lat.p50(), lat.p95(), lastName, aloneLat.p50(), aloneLat.p95(), IN_FLIGHT, seconds);
    }
}
