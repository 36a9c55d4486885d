package dev.cascade.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.cascade.CascadeResult;
import dev.cascade.engine.cascade.CascadeRun;
import dev.cascade.engine.cascade.StageTrace;
import dev.cascade.engine.cascade.StartDecision;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.QueueFullException;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.ChoiceOutput;
import dev.cascade.server.openai.Generation;
import dev.cascade.server.openai.Offsets;
import dev.cascade.server.openai.OpenAiResponses;
import dev.cascade.server.openai.TokenLogprob;
import dev.cascade.server.openai.Usage;
import dev.cascade.weights.tokenizer.Tokenizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One request to a cascade: the stages run one after another ({@link CascadeRun}); the accepted
 * answer is returned as an ordinary completion plus a {@code cascade} trace object (and the
 * {@code x-cascade-stage} / {@code x-cascade-cost} headers). A streaming request gets SSE comments
 * as keep-alives while stages run and score, then the accepted answer.
 *
 * <p>{@code n} choices are {@code n} runs of the cascade, with seeds seed, seed + 1, ... when the
 * request gives one (otherwise each draws its own); each choice carries its own trace, and the
 * top-level trace is the first choice's, with the total cost of all. Log-probabilities, when asked
 * for, are those of the stage whose answer was accepted.
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
    private final ServerMetrics metrics;
    private final List<CascadeRun> runs = new ArrayList<>();
    /** Per choice, once its cascade has finished. */
    private CascadeResult[] results;
    private List<TokenLogprob>[] answerLogprobs;
    /** The stage the request started at (a route or the router may skip the first ones), and why. */
    private StartDecision start;
    private int finished;
    private volatile boolean done;

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
    @SuppressWarnings("unchecked")
    void start(Function<ServedModel, int[]> encode, String promptText, String promptParam,
               List<dev.cascade.weights.chat.ChatMessage> messages) {
        int stages = cascade.stages().size();
        int[][] prompts = new int[stages][];
        int[] maxTokens = new int[stages];
        int firstLocalTokens = -1;
        for (int i = 0; i < stages; i++) {
            ServedModel m = cascade.stages().get(i);
            if (m == null) {
                maxTokens[i] = generation.maxTokens() == null ? (chat ? 512 : 16) : generation.maxTokens();
                continue;
            }
            prompts[i] = encode.apply(m);
            if (firstLocalTokens < 0) {
                firstLocalTokens = prompts[i].length;
            }
            maxTokens[i] = TokenBudget.maxTokens(generation, chat, prompts[i].length, m.contextLength(), promptParam);
            m.loop().scheduler().validate(request(prompts[i], generation.sampling(), maxTokens[i]));
        }
        // routing by prompt length counts the first local model's tokens (about 4 characters a token otherwise)
        start = cascade.spec().start(promptText, firstLocalTokens >= 0 ? firstLocalTokens : promptText.length() / 4);
        int n = generation.n();
        results = new CascadeResult[n];
        answerLogprobs = new List[n];
        for (int choice = 0; choice < n; choice++) {
            SamplingParams sampling = seeded(choice);
            List<List<TokenLogprob>> stageLogprobs = new ArrayList<>();
            List<CascadeRun.StageStarter> starters = new ArrayList<>();
            for (int i = 0; i < stages; i++) {
                List<TokenLogprob> record = generation.logprobs().enabled() ? Collections.synchronizedList(new ArrayList<>()) : null;
                stageLogprobs.add(record);
                starters.add(starter(i, prompts[i], maxTokens[i], sampling, record, promptText, messages));
            }
            runs.add(new CascadeRun(cascade.spec(), starters, new Listener(choice, stageLogprobs), start, promptText));
        }
        ChannelFutureListener onClose = f -> {
            if (!done) {
                runs.forEach(CascadeRun::cancel);
            }
        };
        channel.closeFuture().addListener(onClose);
        if (generation.stream()) {
            Sse.begin(channel);
        }
        runs.forEach(CascadeRun::start);
    }

    /** The request's sampling for one choice: its seed shifted by the choice's index, so that choices differ. */
    private SamplingParams seeded(int choice) {
        SamplingParams s = generation.sampling();
        return s.seed() == null || choice == 0 ? s : s.withSeed(s.seed() + choice);
    }

    private GenerationRequest request(int[] prompt, SamplingParams sampling, int maxTokens) {
        return new GenerationRequest(prompt, sampling, maxTokens, generation.stop(), generation.ignoreEos());
    }

    /** Starts stage i of one choice, recording its tokens' log-probabilities into {@code record} when asked for. */
    private CascadeRun.StageStarter starter(int i, int[] prompt, int maxTokens, SamplingParams sampling, List<TokenLogprob> record,
                                            String promptText, List<dev.cascade.weights.chat.ChatMessage> messages) {
        ServedModel m = cascade.stages().get(i);
        int top = generation.logprobs().top();
        if (m == null) {
            RemoteStage remote = cascade.remotes().get(i);
            return listener -> remote.start(chat, promptText, messages, generation, sampling, maxTokens, top, record, listener);
        }
        GenerationRequest request = request(prompt, sampling, maxTokens);
        return listener -> {
            try {
                SequenceListener heard = record == null ? listener : recording(listener, m.tokenizer(), prompt[prompt.length - 1], top, record);
                ServingLoop.Ticket t = m.loop().submit(0, request, heard);
                return t::cancel;
            } catch (QueueFullException | IllegalStateException | IllegalArgumentException e) {
                listener.onError(e);
                return () -> { };
            }
        };
    }

    /** Passes a stage's events on, keeping each generated token's log-probability entry. */
    private static SequenceListener recording(SequenceListener inner, Tokenizer tokenizer, int lastPromptToken, int top,
                                              List<TokenLogprob> record) {
        return new SequenceListener() {
            int previous = lastPromptToken;

            @Override
            public void onToken(TokenEvent event, Sample sample) {
                if (event.token() >= 0 && sample != null) {
                    record.add(TokenLogprobs.of(tokenizer, previous, event.token(), sample, top));
                    previous = event.token();
                }
                inner.onToken(event, sample);
            }

            @Override
            public void onFinish(Completion completion) {
                inner.onFinish(completion);
            }

            @Override
            public void onError(RuntimeException error) {
                inner.onError(error);
            }
        };
    }

    /** Hears one choice's cascade. Choices finish on different threads: what they share is guarded by the call. */
    private final class Listener implements CascadeRun.Listener {
        final int choice;
        final List<List<TokenLogprob>> stageLogprobs;

        Listener(int choice, List<List<TokenLogprob>> stageLogprobs) {
            this.choice = choice;
            this.stageLogprobs = stageLogprobs;
        }

        @Override
        public void onStage(int index) {
            if (generation.stream() && channel.isActive()) {
                Sse.comment(channel, "cascade " + cascade.name() + ": stage " + (index + 1) + " ("
                        + cascade.stageName(index) + ") running" + (generation.n() > 1 ? " for choice " + choice : ""));
            }
        }

        @Override
        public void onFinished(CascadeResult result) {
            record(result);
            synchronized (CascadeCall.this) {
                if (done) {
                    return; // another choice failed, and the request was answered with the error
                }
                results[choice] = result;
                List<TokenLogprob> lp = stageLogprobs.get(result.answeredBy());
                answerLogprobs[choice] = lp == null ? null : List.copyOf(lp);
                finished++;
                if (generation.stream() && channel.isActive()) {
                    streamChoice(choice);
                }
                if (finished == results.length) {
                    done = true;
                    respond();
                }
            }
        }

        @Override
        public void onError(RuntimeException error) {
            synchronized (CascadeCall.this) {
                if (done) {
                    return;
                }
                done = true;
            }
            runs.forEach(CascadeRun::cancel);
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

    /** One finished choice on the stream: its text, then its end with its trace. */
    private void streamChoice(int choice) {
        Completion answer = results[choice].answer();
        String model = cascade.name();
        String reason = answer.finishReason().apiName();
        List<TokenLogprob> lp = answerLogprobs[choice];
        ObjectNode trace = trace(results[choice]);
        if (chat) {
            Sse.event(channel, OpenAiResponses.chatChunk(id, created, model, choice, "assistant", "", null, null));
            Sse.event(channel, OpenAiResponses.chatChunk(id, created, model, choice, null, answer.text(), lp, null));
            Sse.event(channel, withTrace(OpenAiResponses.chatChunk(id, created, model, choice, null, null, null, reason), trace));
        } else {
            Sse.event(channel, OpenAiResponses.completionChunk(id, created, model, new ChoiceOutput(choice, answer.text(), null, lp)));
            Sse.event(channel, withTrace(OpenAiResponses.completionChunk(id, created, model,
                    new ChoiceOutput(choice, "", reason, null), Offsets.length(answer.text())), trace));
        }
    }

    /** Every choice has finished: the whole answer, or the end of the stream. */
    private void respond() {
        if (!channel.isActive()) {
            return;
        }
        String model = cascade.name();
        int generated = 0;
        double cost = 0;
        List<String> answeredBy = new ArrayList<>();
        for (CascadeResult r : results) {
            generated += r.answer().tokens().length;
            cost += r.cost();
            answeredBy.add(cascade.stageName(r.answeredBy()));
        }
        Usage usage = new Usage(results[0].answer().promptTokens(), generated);
        if (generation.stream()) {
            if (generation.includeUsage()) {
                Sse.event(channel, OpenAiResponses.usageChunk(id, created, model, chat, usage));
            }
            Sse.end(channel, keepAlive);
            return;
        }
        List<ChoiceOutput> choices = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            Completion answer = results[i].answer();
            choices.add(new ChoiceOutput(i, answer.text(), answer.finishReason().apiName(), answerLogprobs[i]));
        }
        byte[] body = chat ? OpenAiResponses.chatCompletion(id, created, model, choices, usage)
                : OpenAiResponses.completion(id, created, model, choices, usage);
        ObjectNode top = trace(results[0]);
        if (results.length > 1) {
            top.put("total_cost", cost);
        }
        Responses.send(channel, 200, "application/json", withTraces(body, top), keepAlive, null,
                Map.of("x-cascade-stage", String.join(",", answeredBy),
                        "x-cascade-cost", String.format(java.util.Locale.ROOT, "%.6g", cost)));
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
        int first = start.stage();
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

    /** The top-level trace, and with several choices each choice's own trace in it. */
    private byte[] withTraces(byte[] json, ObjectNode top) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(json);
            root.set("cascade", top);
            if (results.length > 1) {
                ArrayNode choices = (ArrayNode) root.get("choices");
                for (int i = 0; i < results.length; i++) {
                    ((ObjectNode) choices.get(i)).set("cascade", trace(results[i]));
                }
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
