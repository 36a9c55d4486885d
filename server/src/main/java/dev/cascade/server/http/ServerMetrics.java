package dev.cascade.server.http;

import dev.cascade.engine.generate.FinishReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.function.Supplier;

/** The server's Prometheus metrics, labelled by model; {@link #scrape} renders the text format. */
public final class ServerMetrics {
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    private static final double[] TOKEN_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3,
            0.5, 1, 2.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    final Counter requests;
    final Counter promptTokens;
    final Counter generatedTokens;
    final Histogram timeToFirstToken;
    final Histogram timePerOutputToken;
    final Histogram endToEnd;

    final Counter stageAnswers;
    final Counter escalations;
    final Counter earlyEscalations;
    final Histogram stageScores;
    final Counter cascadeCost;
    final Counter cascadeCostSaved;

    public ServerMetrics(Supplier<Collection<ServedModel>> models) {
        this(models, java.util.List::of);
    }

    public ServerMetrics(Supplier<Collection<ServedModel>> models, Supplier<Collection<ServedCascade>> cascades) {
        requests = Counter.builder().name("cascade_requests").help("Finished requests, by finish reason")
                .labelNames("model", "finish_reason").register(registry);
        promptTokens = Counter.builder().name("cascade_prompt_tokens").help("Prompt tokens processed")
                .labelNames("model").register(registry);
        generatedTokens = Counter.builder().name("cascade_generation_tokens").help("Tokens generated")
                .labelNames("model").register(registry);
        timeToFirstToken = Histogram.builder().name("cascade_time_to_first_token_seconds")
                .help("From the request's arrival to its first generated token").classicUpperBounds(LATENCY_BOUNDS)
                .classicOnly().labelNames("model").register(registry);
        timePerOutputToken = Histogram.builder().name("cascade_time_per_output_token_seconds")
                .help("Between two generated tokens of one sequence").classicUpperBounds(TOKEN_BOUNDS)
                .classicOnly().labelNames("model").register(registry);
        endToEnd = Histogram.builder().name("cascade_e2e_request_latency_seconds")
                .help("From the request's arrival to its last token").classicUpperBounds(LATENCY_BOUNDS)
                .classicOnly().labelNames("model").register(registry);
        GaugeWithCallback.builder().name("cascade_requests_running").help("Sequences in the running batch")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().running(), m.name())))
                .register(registry);
        GaugeWithCallback.builder().name("cascade_requests_waiting").help("Sequences waiting to be admitted")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().waiting(), m.name())))
                .register(registry);
        GaugeWithCallback.builder().name("cascade_kv_blocks_used").help("KV cache blocks holding tokens")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().blocksUsed(), m.name())))
                .register(registry);
        GaugeWithCallback.builder().name("cascade_kv_blocks_free").help("KV cache blocks free")
                .labelNames("model").callback(cb -> models.get().forEach(
                        m -> cb.call(m.loop().blocksTotal() - m.loop().blocksUsed(), m.name())))
                .register(registry);
        // A labelled series shows up in a scrape only once touched: touch every model's now, so that
        // dashboards and rate() see zeros from the start instead of no data until the first request.
        for (ServedModel m : models.get()) {
            promptTokens.labelValues(m.name());
            generatedTokens.labelValues(m.name());
            timeToFirstToken.labelValues(m.name());
            timePerOutputToken.labelValues(m.name());
            endToEnd.labelValues(m.name());
            for (FinishReason reason : FinishReason.values()) {
                requests.labelValues(m.name(), reason.apiName());
            }
        }
        stageAnswers = Counter.builder().name("cascade_stage_answers").help("Cascade requests answered, by the stage that answered")
                .labelNames("cascade", "model").register(registry);
        escalations = Counter.builder().name("cascade_escalations").help("Cascade stages whose answer was rejected, so the next ran")
                .labelNames("cascade", "model").register(registry);
        earlyEscalations = Counter.builder().name("cascade_early_escalations")
                .help("Cascade stages stopped before their end because their score could no longer pass")
                .labelNames("cascade", "model").register(registry);
        stageScores = Histogram.builder().name("cascade_stage_score").help("Scores of cascade stage answers")
                .classicUpperBounds(-10, -5, -3, -2, -1.5, -1, -0.75, -0.5, -0.3, -0.2, -0.1, -0.05, -0.01, 0, 0.5, 1)
                .classicOnly().labelNames("cascade", "model").register(registry);
        cascadeCost = Counter.builder().name("cascade_cost").help("Cost spent by cascade requests, in the config's units")
                .labelNames("cascade").register(registry);
        cascadeCostSaved = Counter.builder().name("cascade_cost_saved")
                .help("Estimated cost saved against the last stage answering alone (its price on the answer's tokens)")
                .labelNames("cascade").register(registry);
        GaugeWithCallback.builder().name("cascade_escalation_rate")
                .help("Share of a cascade's last " + ServedCascade.WINDOW + " requests that escalated past the first stage")
                .labelNames("cascade").callback(cb -> cascades.get().forEach(c -> cb.call(c.recent().rate(), c.name())))
                .register(registry);
        for (ServedCascade c : cascades.get()) {
            cascadeCost.labelValues(c.name());
            cascadeCostSaved.labelValues(c.name());
            for (int i = 0; i < c.stages().size(); i++) {
                stageAnswers.labelValues(c.name(), c.stageName(i));
                escalations.labelValues(c.name(), c.stageName(i));
                earlyEscalations.labelValues(c.name(), c.stageName(i));
            }
        }
        CounterWithCallback.builder().name("cascade_preemptions").help("Sequences preempted for KV space and recomputed")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().preemptions(), m.name())))
                .register(registry);
        CounterWithCallback.builder().name("cascade_prefix_cache_queries").help("Prompt tokens looked up in the prefix cache")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().prefixCacheQueriedTokens(), m.name())))
                .register(registry);
        CounterWithCallback.builder().name("cascade_prefix_cache_hits")
                .help("Prompt tokens whose keys and values were found in the prefix cache, not computed")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().prefixCacheHitTokens(), m.name())))
                .register(registry);
        GaugeWithCallback.builder().name("cascade_kv_blocks_cached")
                .help("Free KV cache blocks still holding a cached prefix (reused last)")
                .labelNames("model").callback(cb -> models.get().forEach(m -> cb.call(m.loop().blocksCached(), m.name())))
                .register(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
