package dev.cascade.server.config;

import dev.cascade.engine.cascade.CascadeSpec;
import dev.cascade.engine.cascade.CombinedScorer;
import dev.cascade.engine.cascade.FormatScorers;
import dev.cascade.engine.cascade.JsonSchemaScorer;
import dev.cascade.engine.cascade.JudgeModel;
import dev.cascade.engine.cascade.JudgeScorer;
import dev.cascade.engine.cascade.LearnedRouter;
import dev.cascade.engine.cascade.LogprobScorers;
import dev.cascade.engine.cascade.PromptClassifier;
import dev.cascade.engine.cascade.RouteRule;
import dev.cascade.engine.cascade.Scorer;
import dev.cascade.engine.cascade.StageSpec;
import dev.cascade.engine.cascade.Verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Turns configured cascades into engine specs, naming what is wrong in a setting. */
public final class Cascades {
    /**
     * The default cascade over the demo family, with the thresholds {@code cascade calibrate
     * --target-accuracy 0.91} found on the demo eval set (README, Cascades): on the whole set 91.9%
     * against demo-base's 92.0%, at 14% of its cost. Costs are parameter counts relative to demo-base.
     */
    public static final CascadeSettings DEMO = new CascadeSettings("demo-cascade", List.of(
            new StageSettings("demo-tiny", "min_logprob", null, -0.40, 0.0332, 0.0332),
            new StageSettings("demo-small", "min_logprob", null, -0.31, 0.122, 0.122),
            new StageSettings("demo-base", "min_logprob", null, -0.5, 1.0, 1.0)), "last");

    private Cascades() {
    }

    public static CascadeSpec spec(CascadeSettings c) {
        return spec(c, false);
    }

    /**
     * @param untrainedVerifiers accept verifier stages and a router without weights (calibrate, which
     *                           trains them; an untrained router is left out of the spec)
     */
    public static CascadeSpec spec(CascadeSettings c, boolean untrainedVerifiers) {
        return spec(c, untrainedVerifiers, null);
    }

    /**
     * @param judges the models served here that judge scorers may ask, by name (null where none are
     *               running, which makes a judge stage an error)
     */
    public static CascadeSpec spec(CascadeSettings c, boolean untrainedVerifiers, Function<String, JudgeModel> judges) {
        if (c.name() == null || c.name().isBlank()) {
            throw new IllegalArgumentException("a cascade needs a name");
        }
        if (c.stages() == null || c.stages().isEmpty()) {
            throw new IllegalArgumentException("cascade " + c.name() + " needs at least one stage");
        }
        List<StageSpec> stages = new ArrayList<>();
        for (int i = 0; i < c.stages().size(); i++) {
            StageSettings s = c.stages().get(i);
            String where = "cascade " + c.name() + ", stage " + (i + 1);
            if (s == null || s.model() == null) {
                throw new IllegalArgumentException(where + " needs 'model'");
            }
            boolean last = i == c.stages().size() - 1;
            if (s.threshold() == null && !last) {
                throw new IllegalArgumentException(where + " needs 'threshold'");
            }
            if (s.judge() != null && !"judge".equals(s.scorer())) {
                throw new IllegalArgumentException(where + ": 'judge' goes with scorer judge, not " + s.scorer());
            }
            Scorer scorer = "judge".equals(s.scorer()) ? judge(c, s, judges, where) : scorer(c, s, where, untrainedVerifiers, judges);
            stages.add(new StageSpec(s.model(), scorer, s.threshold() == null ? Double.NEGATIVE_INFINITY : s.threshold(),
                    s.costPerPromptToken() == null ? 0 : s.costPerPromptToken(),
                    s.costPerGeneratedToken() == null ? 0 : s.costPerGeneratedToken()));
        }
        String fallback = c.fallback() == null ? "last" : c.fallback().toLowerCase(Locale.ROOT);
        if (!fallback.equals("last") && !fallback.equals("best")) {
            throw new IllegalArgumentException("cascade " + c.name() + ": fallback must be last or best, got " + c.fallback());
        }
        List<RouteRule> routes = new ArrayList<>();
        if (c.routes() != null) {
            for (int i = 0; i < c.routes().size(); i++) {
                RouteSettings r = c.routes().get(i);
                String where = "cascade " + c.name() + ", route " + (i + 1);
                int stage = stageOf(c, r.startAt(), where);
                java.util.regex.Pattern p = null;
                if (r.regex() != null) {
                    try {
                        p = java.util.regex.Pattern.compile(r.regex());
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw new IllegalArgumentException(where + ": regex '" + r.regex() + "' is not valid: " + e.getDescription());
                    }
                }
                int min = r.minPromptTokens() == null ? 0 : r.minPromptTokens();
                if (p == null && min <= 0) {
                    throw new IllegalArgumentException(where + " needs 'regex' or 'min_prompt_tokens'");
                }
                routes.add(new RouteRule(p, min, stage));
            }
        }
        return new CascadeSpec(c.name(), stages, fallback.equals("best") ? CascadeSpec.Fallback.BEST : CascadeSpec.Fallback.LAST,
                c.earlyEscalation() == null || c.earlyEscalation(), routes, router(c, untrainedVerifiers));
    }

    /**
     * The configured learned router; null when there is none, or (for calibrate, which trains it)
     * when it is not trained yet.
     */
    private static LearnedRouter router(CascadeSettings c, boolean untrained) {
        LearnedRouterSettings r = c.router();
        if (r == null) {
            return null;
        }
        String where = "cascade " + c.name() + ", router";
        if (!"learned".equals(r.type())) {
            throw new IllegalArgumentException(where + ": type must be learned, got " + r.type()
                    + " (rules that need no training go under 'routes')");
        }
        int stage = routerStage(c);
        if (!r.trained()) {
            if (untrained) {
                return null;
            }
            throw new IllegalArgumentException(where + " has no weights yet; train it with cascade calibrate");
        }
        int buckets = r.buckets() == null ? PromptClassifier.DEFAULT_BUCKETS : r.buckets();
        if (buckets < 1) {
            throw new IllegalArgumentException(where + ": buckets must be >= 1, got " + buckets);
        }
        try {
            return new LearnedRouter(PromptClassifier.ofSparse(buckets, r.weights(), r.lengthWeight() == null ? 0 : r.lengthWeight(),
                    r.bias()), r.threshold(), stage);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /**
     * The judge scorer: its model must be served here; its prices are its own settings' or else
     * those of the cascade's stage that runs the same model.
     */
    private static Scorer judge(CascadeSettings c, StageSettings s, Function<String, JudgeModel> judges, String where) {
        JudgeSettings j = s.judge();
        if (j == null || j.model() == null) {
            throw new IllegalArgumentException(where + ": scorer judge needs 'judge' with its 'model'");
        }
        Double promptCost = j.costPerPromptToken();
        Double generatedCost = j.costPerGeneratedToken();
        for (StageSettings other : c.stages()) {
            if (other != null && j.model().equals(other.model()) && other.url() == null) {
                promptCost = promptCost != null ? promptCost : other.costPerPromptToken() == null ? 0 : other.costPerPromptToken();
                generatedCost = generatedCost != null ? generatedCost : other.costPerGeneratedToken() == null ? 0 : other.costPerGeneratedToken();
            }
        }
        if (promptCost == null || generatedCost == null) {
            throw new IllegalArgumentException(where + ": the judge " + j.model() + " is not a stage of this cascade; give its "
                    + "cost_per_prompt_token and cost_per_generated_token");
        }
        JudgeModel model = judges == null ? null : judges.apply(j.model());
        if (model == null) {
            throw new IllegalArgumentException(where + ": the judge " + j.model() + " must be a model served here");
        }
        try {
            return new JudgeScorer(model, j.template() == null ? JudgeScorer.DEFAULT_TEMPLATE : j.template(),
                    j.yes() == null || j.yes().isEmpty() ? JudgeScorer.DEFAULT_YES : j.yes(), promptCost, generatedCost);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** The json scorer with the stage's schema, inline or from its file; a bad schema is an error naming the stage. */
    private static Scorer schemaScorer(StageSettings s, String where) {
        if (s.schema() != null && s.schemaFile() != null) {
            throw new IllegalArgumentException(where + ": give 'schema' or 'schema_file', not both");
        }
        String text = null;
        if (s.schemaFile() != null) {
            try {
                text = java.nio.file.Files.readString(java.nio.file.Path.of(s.schemaFile()));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(where + ": cannot read schema_file " + s.schemaFile() + " (" + e + ")");
            }
        }
        try {
            // inline YAML arrives as a Jackson tree, which the validator takes as it is
            return text == null ? JsonSchemaScorer.of(s.schema()) : JsonSchemaScorer.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** The index of the stage the configured router sends prompts to (a later one than the first). */
    public static int routerStage(CascadeSettings c) {
        String where = "cascade " + c.name() + ", router";
        int stage = stageOf(c, c.router().startAt(), where);
        if (stage == 0) {
            throw new IllegalArgumentException(where + ": start_at must be a later stage than the first, got " + c.router().startAt());
        }
        return stage;
    }

    private static int stageOf(CascadeSettings c, String model, String where) {
        for (int k = 0; k < c.stages().size(); k++) {
            if (model != null && model.equals(c.stages().get(k).model())) {
                return k;
            }
        }
        throw new IllegalArgumentException(where + ": start_at must name one of its stages' models, got " + model);
    }

    private static Scorer scorer(CascadeSettings c, StageSettings s, String where, boolean untrainedVerifiers,
                                 Function<String, JudgeModel> judges) {
        String name = s.scorer() == null ? "min_logprob" : s.scorer();
        if ((s.schema() != null || s.schemaFile() != null) && !name.equals("json")) {
            throw new IllegalArgumentException(where + ": 'schema' and 'schema_file' go with scorer json, not " + name);
        }
        return switch (name) {
            case "min_logprob" -> LogprobScorers.min();
            case "mean_logprob" -> LogprobScorers.mean();
            case "json" -> s.schema() == null && s.schemaFile() == null ? FormatScorers.json() : schemaScorer(s, where);
            case "regex", "regex_absent" -> {
                if (s.pattern() == null) {
                    throw new IllegalArgumentException(where + ": scorer " + name + " needs 'pattern'");
                }
                yield FormatScorers.regex(s.pattern(), name.equals("regex"));
            }
            case "all", "any", "weighted" -> {
                if (s.parts() == null || s.parts().isEmpty()) {
                    throw new IllegalArgumentException(where + ": scorer " + name + " needs 'parts'");
                }
                List<Scorer> parts = new ArrayList<>();
                double[] weights = new double[s.parts().size()];
                for (int i = 0; i < s.parts().size(); i++) {
                    ScorerPart part = s.parts().get(i);
                    String at = where + ", part " + (i + 1);
                    if (part.scorer() == null || List.of("all", "any", "weighted", "verifier").contains(part.scorer())) {
                        throw new IllegalArgumentException(at
                                + ": a part is min_logprob, mean_logprob, json (with or without a schema), regex, regex_absent or judge");
                    }
                    if (part.judge() != null && !"judge".equals(part.scorer())) {
                        throw new IllegalArgumentException(at + ": 'judge' goes with scorer judge, not " + part.scorer());
                    }
                    StageSettings asStage = new StageSettings(s.model(), part.scorer(), part.pattern(), null, null, null, null, null, null,
                            null, null, part.schema(), part.schemaFile(), part.judge());
                    parts.add("judge".equals(part.scorer()) ? judge(c, asStage, judges, at) : scorer(c, asStage, at, false, judges));
                    if (name.equals("weighted") && part.weight() == null) {
                        throw new IllegalArgumentException(where + ", part " + (i + 1) + " needs 'weight'");
                    }
                    weights[i] = part.weight() == null ? 1 : part.weight();
                }
                yield switch (name) {
                    case "all" -> CombinedScorer.all(parts);
                    case "any" -> CombinedScorer.any(parts);
                    default -> CombinedScorer.weighted(parts, weights);
                };
            }
            case "verifier" -> {
                VerifierSettings v = s.verifier();
                if (v == null || v.weights() == null || v.bias() == null) {
                    if (!untrainedVerifiers) {
                        throw new IllegalArgumentException(where + ": the verifier has no weights yet; train it with cascade calibrate");
                    }
                    yield new Verifier(new double[Verifier.FEATURES], 0);
                }
                yield new Verifier(v.weights().stream().mapToDouble(Double::doubleValue).toArray(), v.bias());
            }
            default -> throw new IllegalArgumentException(where + ": unknown scorer '" + name
                    + "' (known: min_logprob, mean_logprob, json, regex, regex_absent, verifier, judge, all, any, weighted)");
        };
    }
}
