package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cascade.engine.cascade.CascadeSpec;
import dev.cascade.engine.cascade.EvalStage;
import dev.cascade.engine.cascade.PromptClassifier;
import dev.cascade.engine.cascade.RouterCalibration;
import dev.cascade.engine.cascade.Scored;
import dev.cascade.engine.cascade.StageAnswer;
import dev.cascade.engine.cascade.StageSpec;
import dev.cascade.engine.cascade.ThresholdSearch;
import dev.cascade.engine.cascade.Verifier;
import dev.cascade.engine.eval.Checkers;
import dev.cascade.engine.eval.EvalDataset;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.server.config.CascadeSettings;
import dev.cascade.server.config.Cascades;
import dev.cascade.server.config.ConfigFile;
import dev.cascade.server.config.ModelSettings;
import dev.cascade.server.config.ServeConfig;
import dev.cascade.server.config.StageSettings;
import dev.cascade.server.http.RemoteStage;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code cascade calibrate}: runs every stage of a cascade alone on a labelled set, searches the
 * thresholds on half of it (FrugalGPT-style), reports on the other half, and writes the thresholds
 * back into the config (or a new one).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Pick a cascade's per-stage thresholds from a labelled JSONL set (the eval format).")
final class CalibrateCommand implements Callable<Integer> {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "The serve config holding the cascade; its thresholds are rewritten.")
    Path config;

    @Option(names = "--cascade", required = true, paramLabel = "NAME", description = "The cascade (demo-cascade without --config).")
    String cascade;

    @Option(names = "--dataset", required = true, paramLabel = "FILE", description = "Labelled JSONL: prompt, answer, difficulty, checker.")
    Path dataset;

    @ArgGroup(exclusive = true, multiplicity = "1")
    GoalOptions goal;

    static final class GoalOptions {
        @Option(names = "--target-accuracy", paramLabel = "A", description = "Least cost with at least this accuracy (0..1).")
        Double targetAccuracy;

        @Option(names = "--max-cost", paramLabel = "C", description = "Best accuracy at most this cost, relative to the last stage alone (0..1).")
        Double maxCost;

        @Option(names = "--max-escalation-rate", paramLabel = "R", description = "Best accuracy with at most this share escalated (0..1).")
        Double maxEscalationRate;
    }

    @Option(names = "--output", paramLabel = "FILE", description = "Without --config: write a config with the calibrated cascade here.")
    Path output;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Also draw accuracy against cost: the cascade's frontier and each model alone.")
    Path plot;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens generated per item at most (default: ${DEFAULT-VALUE}).")
    int maxTokens = 48;

    @Option(names = "--threads", paramLabel = "N", description = "CPU worker threads (default: the machine's cores).")
    int threads = Backends.defaultThreads();

    @Option(names = "--remote-in-flight", paramLabel = "N",
            description = "Items sent to a remote stage at once (default: ${DEFAULT-VALUE}).")
    int remoteInFlight = 32;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the learned router's cross-validation folds (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
        ServeConfig file = config == null ? null : ConfigFile.load(config);
        // judge scorers ask their models while the stages' answers are scored
        try (JudgeLoops judges = new JudgeLoops(name -> modelSpec(file, name), "auto", threads, 32)) {
            return calibrate(file, judges);
        }
    }

    private int calibrate(ServeConfig file, JudgeLoops judges) throws Exception {
        if (remoteInFlight < 1) {
            throw new IllegalArgumentException("--remote-in-flight must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CascadeSettings settings = settings(file);
        CascadeSpec cascadeSpec = Cascades.spec(settings, true, judges);
        List<EvalItem> items = EvalDataset.read(dataset);
        int stages = cascadeSpec.stages().size();
        int n = items.size();
        ThresholdSearch.Records all = new ThresholdSearch.Records(new boolean[stages][n], new double[stages][n], new double[stages][n]);
        double[][][] features = new double[stages][n][];
        int[][] promptTokens = new int[stages][n];
        // remote stages (url in the config) are asked over HTTP; an unset key fails here, before any stage runs
        RemoteStage[] remotes = new RemoteStage[stages];
        for (int s = 0; s < stages; s++) {
            StageSettings configured = settings.stages().get(s);
            remotes[s] = configured.url() == null ? null : RemoteStage.of(cascadeSpec.name(), configured);
        }
        int firstLocal = -1;
        for (int s = 0; s < stages; s++) {
            StageSpec stage = cascadeSpec.stages().get(s);
            if (remotes[s] != null) {
                recordRemote(stage, remotes[s], items, all, features, promptTokens, s, err);
            } else {
                record(stage, modelSpec(file, stage.model()), items, all, features, promptTokens, s, err);
                firstLocal = firstLocal < 0 ? s : firstLocal;
            }
        }
        if (firstLocal < 0 && CascadeEval.countsTokens(cascadeSpec)) {
            err.println("note: " + cascadeSpec.name() + " has no local stage; its min_prompt_tokens routes count about 4 characters "
                    + "a token, as serving does");
        }
        int[] fit = new int[(n + 1) / 2];
        int[] held = new int[n / 2];
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                fit[i / 2] = i;
            } else {
                held[i / 2] = i;
            }
        }
        // verifier stages: learn the weights on the calibration half, then score every item with them
        Verifier[] trained = new Verifier[stages];
        for (int s = 0; s < stages; s++) {
            if (cascadeSpec.stages().get(s).scorer() instanceof Verifier) {
                double[][] x = new double[fit.length][];
                boolean[] y = new boolean[fit.length];
                for (int k = 0; k < fit.length; k++) {
                    x[k] = features[s][fit[k]];
                    y[k] = all.correct()[s][fit[k]];
                }
                trained[s] = Verifier.fit(x, y);
                for (int j = 0; j < n; j++) {
                    all.score()[s][j] = trained[s].probability(features[s][j]);
                }
            }
        }
        ThresholdSearch.Goal g = goal.targetAccuracy != null ? new ThresholdSearch.Goal.TargetAccuracy(goal.targetAccuracy)
                : goal.maxCost != null ? new ThresholdSearch.Goal.MaxCost(goal.maxCost)
                : new ThresholdSearch.Goal.MaxEscalationRate(goal.maxEscalationRate);
        // routing rules decide where their items start, in the simulation as in serving
        int[] ruleStart = new int[n];
        // and count the prompt's tokens as serving does: with the first local stage's tokenizer
        for (int j = 0; j < n; j++) {
            String prompt = items.get(j).prompt();
            ruleStart[j] = ruleStart(cascadeSpec, prompt, firstLocal >= 0 ? promptTokens[firstLocal][j] : EvalStage.approximateTokens(prompt));
        }
        RouterCalibration.Result router = null;
        ThresholdSearch.Outcome chosen;
        if (settings.router() != null) {
            int routerStage = Cascades.routerStage(settings);
            int buckets = settings.router().buckets() == null ? PromptClassifier.DEFAULT_BUCKETS : settings.router().buckets();
            router = RouterCalibration.calibrate(prompts(items, fit), all.subset(fit), pick(ruleStart, fit), routerStage, g, 60,
                    buckets, seed);
            chosen = router == null ? null : router.outcome();
        } else {
            chosen = ThresholdSearch.search(all.subset(fit), g, 60, pick(ruleStart, fit));
        }
        if (chosen == null) {
            ThresholdSearch.Outcome best = ThresholdSearch.search(all.subset(fit), new ThresholdSearch.Goal.MaxCost(Double.MAX_VALUE), 60,
                    pick(ruleStart, fit));
            throw new IllegalArgumentException("no thresholds meet " + describe(g) + " on the calibration half (the best accuracy "
                    + "there is " + String.format(Locale.ROOT, "%.4f", best.accuracy()) + "); relax the goal");
        }
        ThresholdSearch.Records heldOut = all.subset(held);
        int[] heldStart = pick(ruleStart, held);
        double[] heldRouterP = null;
        if (router != null) {
            heldRouterP = new double[held.length];
            for (int j = 0; j < held.length; j++) {
                heldRouterP[j] = router.classifier().probability(items.get(held[j]).prompt());
            }
            heldStart = RouterCalibration.starts(heldRouterP, router.threshold(), Cascades.routerStage(settings), heldStart);
        }
        ThresholdSearch.Outcome test = ThresholdSearch.simulate(heldOut, chosen.thresholds(), heldStart);
        int lastRight = 0;
        for (int j = 0; j < held.length; j++) {
            lastRight += heldOut.correct()[stages - 1][j] ? 1 : 0;
        }
        out.printf("calibrated %s for %s on %d items; reported on the other %d:%n", cascadeSpec.name(), describe(g), fit.length,
                held.length);
        for (int s = 0; s < stages; s++) {
            StageSpec stage = cascadeSpec.stages().get(s);
            double[] pr = ThresholdSearch.precisionRecall(heldOut.correct()[s], heldOut.score()[s], chosen.thresholds()[s]);
            out.printf("  stage %d %-12s %s >= %-9s answers %5.1f%%   precision %5.1f%% recall %5.1f%%%n", s + 1, stage.model(),
                    stage.scorer().name(), s == stages - 1 ? "(always)" : String.format(Locale.ROOT, "%.4f", chosen.thresholds()[s]),
                    100 * test.answeredBy()[s], 100 * pr[0], 100 * pr[1]);
        }
        out.printf("  accuracy %.1f%% (last stage alone %.1f%%), cost %.1f%% of the last stage alone, escalation rate %.1f%%%n",
                100 * test.accuracy(), 100.0 * lastRight / held.length, 100 * test.relativeCost(), 100 * test.escalationRate());
        if (router != null) {
            RouterReport.print(out, router.threshold(), settings.router().startAt(), heldRouterP, pick(ruleStart, held), heldStart,
                    heldOut, chosen.thresholds());
        }
        write(file, settings, chosen.thresholds(), trained, router, out);
        if (plot != null) {
            plot(cascadeSpec, all.subset(fit), heldOut);
            out.println("trade-off plot written to " + plot);
        }
        return 0;
    }

    private CascadeSettings settings(ServeConfig file) {
        if (file == null) {
            if (!cascade.equals(Cascades.DEMO.name())) {
                throw new IllegalArgumentException("unknown cascade " + cascade + "; without --config only demo-cascade is known");
            }
            return Cascades.DEMO;
        }
        if (file.cascades() != null) {
            for (CascadeSettings c : file.cascades()) {
                if (cascade.equals(c.name())) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException(config + " has no cascade named " + cascade);
    }

    private static String modelSpec(ServeConfig file, String name) {
        if (file != null && file.models() != null) {
            for (ModelSettings m : file.models()) {
                if (name.equals(m.apiName())) {
                    return m.model();
                }
            }
        }
        return name;
    }

    /** The stage the cascade's first matching rule starts a prompt at, else 0 (the router is not asked here). */
    private static int ruleStart(CascadeSpec spec, String prompt, int promptTokens) {
        for (var rule : spec.routes()) {
            if (rule.matches(prompt, promptTokens)) {
                return rule.stage();
            }
        }
        return 0;
    }

    private static int[] pick(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = values[indices[k]];
        }
        return out;
    }

    private static List<String> prompts(List<EvalItem> items, int[] indices) {
        List<String> out = new ArrayList<>();
        for (int j : indices) {
            out.add(items.get(j).prompt());
        }
        return out;
    }

    private void record(StageSpec stage, String modelSpec, List<EvalItem> items, ThresholdSearch.Records into,
                        double[][][] features, int[][] promptTokens, int s, PrintWriter err) {
        int batch = 32;
        try (Model m = ModelLoader.open(modelSpec, null)) {
            var c = m.config();
            int perContext = (c.contextLength() + KvLayout.DEFAULT_BLOCK_SIZE - 1) / KvLayout.DEFAULT_BLOCK_SIZE;
            KvLayout layout = new KvLayout(c.layers(), batch * perContext, KvLayout.DEFAULT_BLOCK_SIZE, c.kvHeads(), c.headDim());
            try (Transformer t = new Transformer(m, Backends.create("auto", threads).backend(), layout, 512)) {
                Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, batch);
                for (int from = 0; from < items.size(); from += batch) {
                    List<EvalItem> slice = items.subList(from, Math.min(items.size(), from + batch));
                    List<GenerationRequest> requests = new ArrayList<>();
                    for (EvalItem item : slice) {
                        requests.add(GenerationRequest.greedy(m.tokenizer().encode(item.prompt(), true), maxTokens));
                    }
                    List<Completion> done = g.generate(requests, null);
                    // a judge scores asynchronously on its own model: ask for the whole batch, then collect
                    List<CompletableFuture<Scored>> scored = new ArrayList<>();
                    for (int i = 0; i < slice.size(); i++) {
                        Completion d = done.get(i);
                        scored.add(stage.scorer().scoreAsync(new StageAnswer(d.text(), d.logprobs(), slice.get(i).prompt())));
                    }
                    for (int i = 0; i < slice.size(); i++) {
                        keep(stage, s, from + i, slice.get(i), done.get(i), scored.get(i).join(), into, features, promptTokens);
                    }
                    err.printf("\rcalibrate: stage %s %d/%d items", stage.model(), Math.min(items.size(), from + batch), items.size());
                    err.flush();
                }
                err.println();
            }
        }
    }

    /** One stage's answer to item j, and its score, into the records the search and the verifier read. */
    private static void keep(StageSpec stage, int s, int j, EvalItem item, Completion d, Scored verdict, ThresholdSearch.Records into,
                             double[][][] features, int[][] promptTokens) {
        into.correct()[s][j] = Checkers.check(item.checker(), d.text(), item.answer());
        into.score()[s][j] = verdict.score();
        features[s][j] = Verifier.features(new StageAnswer(d.text(), d.logprobs()));
        into.cost()[s][j] = stage.cost(d.promptTokens(), d.tokens().length) + verdict.cost();
        promptTokens[s][j] = d.promptTokens();
    }

    /**
     * A remote stage: the items go to its endpoint with at most {@code --remote-in-flight} of them
     * sent or being scored at once; its answers (text, log-probabilities, and the usage it reports,
     * which the cost is taken from) are kept as a local stage's are. The first item that fails stops
     * the calibration, naming the stage, its endpoint and the item.
     */
    private void recordRemote(StageSpec stage, RemoteStage remote, List<EvalItem> items, ThresholdSearch.Records into,
                              double[][][] features, int[][] promptTokens, int s, PrintWriter err) throws InterruptedException {
        record Answered(Completion completion, Scored verdict) {
        }
        EvalStage endpoint = remote.evalStage();
        int n = items.size();
        Semaphore window = new Semaphore(remoteInFlight);
        AtomicReference<StageFailure> failed = new AtomicReference<>();
        List<CompletableFuture<Answered>> answers = new ArrayList<>();
        List<Runnable> cancels = java.util.Collections.synchronizedList(new ArrayList<>());
        int[] done = {0};
        for (int j = 0; j < n && failed.get() == null; j++) {
            window.acquire();
            EvalItem item = items.get(j);
            int at = j;
            CompletableFuture<Completion> generated = new CompletableFuture<>();
            CompletableFuture<Answered> answered = generated.thenCompose(c -> stage.scorer()
                    .scoreAsync(new StageAnswer(c.text(), c.logprobs(), item.prompt())).thenApply(v -> new Answered(c, v)));
            answers.add(answered.whenComplete((a, e) -> {
                window.release();
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    String what = generated.isCompletedExceptionally() ? "failed on" : "could not score its answer to";
                    failed.compareAndSet(null, new StageFailure("stage " + stage.model() + " (" + remote.base() + ") " + what
                            + " the item at index " + at + " (id " + item.id() + ") of " + dataset + ": " + cause.getMessage(), cause));
                    return;
                }
                synchronized (done) {
                    done[0]++;
                    err.printf("\rcalibrate: stage %s %d/%d items", stage.model(), done[0], n);
                    err.flush();
                }
            }));
            cancels.add(endpoint.start(item.prompt(), maxTokens, new SequenceListener() {
                @Override
                public void onToken(TokenEvent event, Sample sample) {
                }

                @Override
                public void onFinish(Completion completion) {
                    if (completion.finishReason() == FinishReason.ABORT) {
                        generated.completeExceptionally(new IllegalStateException("the request was cancelled"));
                    } else {
                        generated.complete(completion);
                    }
                }

                @Override
                public void onError(RuntimeException error) {
                    generated.completeExceptionally(error);
                }
            }));
        }
        for (CompletableFuture<Answered> a : answers) {
            try {
                a.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                break; // failed holds the first failure
            }
        }
        if (failed.get() != null) {
            cancels.forEach(Runnable::run);
            err.println();
            throw failed.get();
        }
        for (int j = 0; j < n; j++) {
            Answered a = answers.get(j).join();
            keep(stage, s, j, items.get(j), a.completion(), a.verdict(), into, features, promptTokens);
        }
        err.println();
    }

    /** The frontier: for accuracy targets across the reachable range, the cheapest thresholds (fit on one half, shown on the other). */
    private void plot(CascadeSpec spec, ThresholdSearch.Records fit, ThresholdSearch.Records heldOut) throws java.io.IOException {
        int stages = spec.stages().size();
        List<TradeoffPlot.Point> models = new ArrayList<>();
        double lastCost = 0;
        for (int j = 0; j < heldOut.items(); j++) {
            lastCost += heldOut.cost()[stages - 1][j];
        }
        double lowest = 1;
        for (int s = 0; s < stages; s++) {
            int right = 0;
            double cost = 0;
            for (int j = 0; j < heldOut.items(); j++) {
                right += heldOut.correct()[s][j] ? 1 : 0;
                cost += heldOut.cost()[s][j];
            }
            double acc = right / (double) heldOut.items();
            lowest = Math.min(lowest, acc);
            models.add(new TradeoffPlot.Point(cost / lastCost, acc, spec.stages().get(s).model() + " alone"));
        }
        ThresholdSearch.Outcome best = ThresholdSearch.search(fit, new ThresholdSearch.Goal.MaxCost(Double.MAX_VALUE), 60);
        List<TradeoffPlot.Point> frontier = new ArrayList<>();
        for (int k = 0; k <= 30; k++) {
            double target = lowest + (best.accuracy() - lowest) * k / 30.0;
            ThresholdSearch.Outcome o = ThresholdSearch.search(fit, new ThresholdSearch.Goal.TargetAccuracy(target), 40);
            if (o != null) {
                ThresholdSearch.Outcome shown = ThresholdSearch.simulate(heldOut, o.thresholds());
                frontier.add(new TradeoffPlot.Point(shown.relativeCost(), shown.accuracy(), ""));
            }
        }
        frontier.sort(java.util.Comparator.comparingDouble(TradeoffPlot.Point::cost));
        TradeoffPlot.write(plot, spec.name() + ": accuracy against cost", frontier, models);
    }

    /** The trained router into its config node: threshold, buckets, the non-zero weights, the length weight and the bias. */
    private static void writeRouter(ObjectNode r, RouterCalibration.Result router) {
        PromptClassifier c = router.classifier();
        r.put("threshold", Double.isInfinite(router.threshold()) ? 1e9 : router.threshold()); // 1e9: never routes
        r.put("buckets", c.buckets());
        ObjectNode w = r.putObject("weights");
        c.sparseWeights().forEach((bucket, weight) -> w.put(Integer.toString(bucket), (float) (double) weight));
        r.put("length_weight", c.lengthWeight());
        r.put("bias", c.bias());
    }

    private static String describe(ThresholdSearch.Goal g) {
        return switch (g) {
            case ThresholdSearch.Goal.TargetAccuracy t -> "accuracy >= " + t.accuracy() + " at least cost";
            case ThresholdSearch.Goal.MaxCost c -> "best accuracy at cost <= " + c.relativeCost();
            case ThresholdSearch.Goal.MaxEscalationRate r -> "best accuracy at escalation <= " + r.rate();
        };
    }

    /** Writes the thresholds into the config file (or a new one), keeping everything else. */
    private void write(ServeConfig file, CascadeSettings settings, double[] thresholds, Verifier[] trained,
                       RouterCalibration.Result router, PrintWriter out) throws Exception {
        ObjectNode root;
        Path target;
        if (config != null) {
            root = (ObjectNode) YAML.readTree(Files.readAllBytes(config));
            target = config;
        } else {
            root = YAML.createObjectNode();
            ArrayNode models = root.putArray("models");
            settings.stages().forEach(s -> models.addObject().put("model", s.model()));
            root.set("cascades", YAML.valueToTree(List.of(settings)));
            target = output;
        }
        for (JsonNode c : root.withArray("cascades")) {
            if (cascade.equals(c.path("name").asText())) {
                if (router != null) {
                    writeRouter((ObjectNode) c.get("router"), router);
                }
                ArrayNode stages = (ArrayNode) c.get("stages");
                for (int i = 0; i < stages.size(); i++) {
                    ObjectNode st = (ObjectNode) stages.get(i);
                    if (trained[i] != null) {
                        ObjectNode v = st.putObject("verifier");
                        ArrayNode w = v.putArray("weights");
                        for (double x : trained[i].weights()) {
                            w.add(x);
                        }
                        v.put("bias", trained[i].bias());
                    }
                    if (i == stages.size() - 1) {
                        break; // the last stage answers unconditionally: no threshold to write
                    }
                    double t = thresholds[i];
                    if (Double.isInfinite(t)) {
                        st.put("threshold", t > 0 ? 1e9 : -1e9); // YAML has no portable infinity here
                    } else {
                        st.put("threshold", t);
                    }
                }
            }
        }
        byte[] yaml = YAML.writeValueAsBytes(root);
        if (target == null) {
            out.println("(no --config or --output: the calibrated config follows)");
            out.print(new String(yaml, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            Files.write(target, yaml);
            out.println("thresholds written to " + target);
        }
    }
}
