package dev.cascade.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.cascade.CascadeResult;
import dev.cascade.engine.cascade.CascadeRun;
import dev.cascade.engine.cascade.StageTrace;
import dev.cascade.engine.cascade.StartDecision;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.QueueFullException;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.ChoiceOutput;
import dev.cascade.server.openai.Generation;
import dev.cascade.server.openai.OpenAiResponses;
import dev.cascade.server.openai.Usage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One request to a cascade: the stages run one after another ({@link CascadeRun}); the accepted
 * answer is returned as an ordinary completion plus a {@code cascade} trace object (and the
 * {@code x-cascade-stage} / {@code x-cascade-cost} headers). A streaming request gets SSE comments
 * as keep-alives while stages run and score, then the accepted answer.
 */
final class CascadeCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServedCascade cascade;
    private final Channel channel;
    private final boolean chat;
    private final Generation generation;
    private final boolean keepAlive;
    private final String id;
    private final long created = System.currentTimeMillis() / 1000;
    private CascadeRun run;
    /** The stage this request started at (a route or the router may skip the first ones), and why. */
    private StartDecision start;
    private int first;
    private volatile boolean done;

    private final ServerMetrics metrics;

    CascadeCall(ServedCascade cascade, Channel channel, boolean chat, Generation generation, boolean keepAlive,
                ServerMetrics metrics) {
        this.metrics = metrics;
        this.cascade = cascade;
        this.channel = channel;
        this.chat = chat;
        this.generation = generation;
        this.keepAlive = keepAlive;
        this.id = chat ? OpenAiResponses.ids().chat() : OpenAiResponses.ids().completion();
    }

    /**
     * @param encode each stage model's prompt ids (its own tokenizer and chat template); throws
     *               ApiException for a prompt a stage cannot take
     */
    void start(Function<ServedModel, int[]> encode, String promptText, String promptParam,
               List<dev.cascade.weights.chat.ChatMessage> messages) {
        if (generation.n() != 1) {
            throw ApiException.badRequest("n", "A cascade answers with one choice; n must be 1.");
        }
        if (generation.logprobs().enabled()) {
            throw ApiException.badRequest(chat ? "logprobs" : "logprobs", "Log-probabilities are not reported for cascades.");
        }
        List<CascadeRun.StageStarter> starters = new ArrayList<>();
        int firstLocalTokens = -1;
        for (int i = 0; i < cascade.stages().size(); i++) {
            ServedModel m = cascade.stages().get(i);
            if (m == null) {
                RemoteStage remote = cascade.remotes().get(i);
                int maxTokens = generation.maxTokens() == null ? (chat ? 512 : 16) : generation.maxTokens();
                starters.add(listener -> remote.start(chat, promptText, messages, generation, maxTokens, listener));
                continue;
            }
            int[] prompt = encode.apply(m);
            if (firstLocalTokens < 0) {
                firstLocalTokens = prompt.length;
            }
            int maxTokens = TokenBudget.maxTokens(generation, chat, prompt.length, m.contextLength(), promptParam);
            GenerationRequest request = new GenerationRequest(prompt, generation.sampling(), maxTokens, generation.stop(),
                    generation.ignoreEos());
            m.loop().scheduler().validate(request);
            starters.add(listener -> {
                try {
                    ServingLoop.Ticket t = m.loop().submit(0, request, listener);
                    return t::cancel;
                } catch (QueueFullException | IllegalStateException | IllegalArgumentException e) {
                    listener.onError(e);
                    return () -> { };
                }
            });
        }
        // routing by prompt length counts the first local model's tokens (about 4 characters a token otherwise)
        start = cascade.spec().start(promptText, firstLocalTokens >= 0 ? firstLocalTokens : promptText.length() / 4);
        first = start.stage();
        run = new CascadeRun(cascade.spec(), starters, new Listener(), start, promptText);
        ChannelFutureListener onClose = f -> {
            if (!done) {
                run.cancel();
            }
        };
        channel.closeFuture().addListener(onClose);
        if (generation.stream()) {
            Sse.begin(channel);
        }
        run.start();
    }

    private final class Listener implements CascadeRun.Listener {
        @Override
        public void onStage(int index) {
            if (generation.stream() && channel.isActive()) {
                Sse.comment(channel, "cascade " + cascade.name() + ": stage " + (index + 1) + " ("
                        + cascade.stageName(index) + ") running");
            }
        }

        @Override
        public void onFinished(CascadeResult result) {
            done = true;
            record(result);
            if (!channel.isActive()) {
                return;
            }
            var answer = result.answer();
            String model = cascade.name();
            String reason = answer.finishReason().apiName();
            Usage usage = new Usage(answer.promptTokens(), answer.tokens().length);
            ObjectNode trace = trace(result);
            if (generation.stream()) {
                if (chat) {
                    Sse.event(channel, OpenAiResponses.chatChunk(id, created, model, 0, "assistant", "", null, null));
                    Sse.event(channel, OpenAiResponses.chatChunk(id, created, model, 0, null, answer.text(), null, null));
                    Sse.event(channel, withTrace(OpenAiResponses.chatChunk(id, created, model, 0, null, null, null, reason), trace));
                } else {
                    Sse.event(channel, OpenAiResponses.completionChunk(id, created, model, new ChoiceOutput(0, answer.text(), null, null)));
                    Sse.event(channel, withTrace(OpenAiResponses.completionChunk(id, created, model,
                            new ChoiceOutput(0, "", reason, null)), trace));
                }
                if (generation.includeUsage()) {
                    Sse.event(channel, OpenAiResponses.usageChunk(id, created, model, chat, usage));
                }
                Sse.end(channel, keepAlive);
            } else {
                List<ChoiceOutput> choices = List.of(new ChoiceOutput(0, answer.text(), reason, null));
                byte[] body = chat ? OpenAiResponses.chatCompletion(id, created, model, choices, usage)
                        : OpenAiResponses.completion(id, created, model, choices, usage);
                Responses.send(channel, 200, "application/json", withTrace(body, trace), keepAlive, null,
                        Map.of("x-cascade-stage", cascade.stageName(result.answeredBy()),
                                "x-cascade-cost", String.format(java.util.Locale.ROOT, "%.6g", result.cost())));
            }
        }

        @Override
        public void onError(RuntimeException error) {
            done = true;
            run.cancel();
            if (!channel.isActive()) {
                return;
            }
            ApiException e = error instanceof QueueFullException ? ApiException.overloaded(1)
                    : ApiException.internal("the cascade failed: " + error.getMessage());
            if (generation.stream()) {
                Sse.event(channel, OpenAiResponses.error(e));
                Sse.end(channel, false);
            } else {
                Responses.error(channel, e, keepAlive);
            }
        }
    }

    private void record(CascadeResult result) {
        String name = cascade.name();
        metrics.stageAnswers.labelValues(name, cascade.stageName(result.answeredBy())).inc();
        List<StageTrace> tried = result.stages();
        for (int i = 0; i < tried.size(); i++) {
            StageTrace s = tried.get(i);
            if (i < tried.size() - 1) {
                metrics.escalations.labelValues(name, s.model()).inc(); // a later stage ran after it
            }
            if (s.earlyEscalated()) {
                metrics.earlyEscalations.labelValues(name, s.model()).inc();
            }
            if (Double.isFinite(s.score())) {
                metrics.stageScores.labelValues(name, s.model()).observe(s.score());
            }
        }
        metrics.cascadeCost.labelValues(name).inc(result.cost());
        var last = cascade.spec().stages().getLast();
        var answer = result.answer();
        double alone = last.cost(answer.promptTokens(), answer.tokens().length);
        metrics.cascadeCostSaved.labelValues(name).inc(Math.max(0, alone - result.cost()));
        cascade.recent().add(result.stages().size() > 1);
    }

    private ObjectNode trace(CascadeResult result) {
        ObjectNode t = JSON.createObjectNode();
        t.put("name", cascade.name());
        t.put("answered_by", cascade.stageName(result.answeredBy()));
        t.put("answered_by_stage", result.answeredBy() + 1);
        t.put("started_at_stage", first + 1);
        t.put("started_by", start.by());
        if (!Double.isNaN(start.routerProbability())) {
            t.put("router_failure_probability", start.routerProbability());
        }
        t.put("cost", result.cost());
        ArrayNode stages = t.putArray("stages");
        for (StageTrace s : result.stages()) {
            ObjectNode n = stages.addObject();
            n.put("model", s.model());
            n.put("scorer", cascade.spec().stages().get(first + stages.size() - 1).scorer().name());
            if (Double.isFinite(s.score())) {
                n.put("score", s.score());
            } else {
                n.putNull("score");
            }
            n.put("accepted", s.accepted());
            n.put("early_escalated", s.earlyEscalated());
            n.put("prompt_tokens", s.promptTokens());
            n.put("completion_tokens", s.generatedTokens());
            n.put("cost", s.cost());
            n.put("scoring_cost", s.scoringCost());
            n.put("latency_ms", Math.round(s.latencyMs() * 10) / 10.0);
        }
        return t;
    }

    private static byte[] withTrace(byte[] json, ObjectNode trace) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            root.set("cascade", trace);
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
