package dev.cascade.server.http;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.QueueFullException;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.ChoiceOutput;
import dev.cascade.server.openai.Generation;
import dev.cascade.server.openai.OpenAiResponses;
import dev.cascade.server.openai.Offsets;
import dev.cascade.server.openai.TokenLogprob;
import dev.cascade.server.openai.Usage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

import java.util.ArrayList;
import java.util.List;

/**
 * One completions or chat request in flight: a sequence per choice (prompts × n) submitted to the
 * model's loop, each streaming its tokens as SSE chunks or collected into one response. Listener
 * calls arrive on the loop thread; every choice of a call runs on the same loop, so a call's own
 * state needs no lock. Netty's writes from that thread are queued to the channel in order.
 */
final class GenerationCall {
    private final ServedModel model;
    private final Channel channel;
    private final boolean chat;
    private final Generation generation;
    private final boolean keepAlive;
    private final ServerMetrics metrics;
    private final long arrival;
    private final String id;
    private final long created = System.currentTimeMillis() / 1000;
    private final List<Choice> choices = new ArrayList<>();
    private final List<ServingLoop.Ticket> tickets = new ArrayList<>();
    /** Aborts the choices when the client goes away; a field so that it can be removed again. */
    private final ChannelFutureListener cancelOnClose = f -> cancel();
    private int promptTokens;
    private int unfinished;
    private volatile boolean done;

    GenerationCall(ServedModel model, Channel channel, boolean chat, Generation generation, boolean keepAlive,
                   ServerMetrics metrics, long arrival) {
        this.model = model;
        this.channel = channel;
        this.chat = chat;
        this.generation = generation;
        this.keepAlive = keepAlive;
        this.metrics = metrics;
        this.arrival = arrival;
        this.id = chat ? OpenAiResponses.ids().chat() : OpenAiResponses.ids().completion();
    }

    /**
     * Submits every choice. Throws ApiException (400, 429, 503) before anything is written when the
     * request cannot start; choices already submitted are cancelled then.
     */
    void start(List<int[]> prompts, String promptParam) {
        int context = model.contextLength();
        List<GenerationRequest> requests = new ArrayList<>();
        for (int[] prompt : prompts) {
            int maxTokens = TokenBudget.maxTokens(generation, chat, prompt.length, context, promptParam);
            promptTokens += prompt.length;
            for (int i = 0; i < generation.n(); i++) {
                var sampling = generation.sampling();
                if (sampling.seed() != null && i > 0) {
                    sampling = sampling.withSeed(sampling.seed() + i); // n different samples, each reproducible
                }
                requests.add(new GenerationRequest(prompt, sampling, maxTokens, generation.stop(), generation.ignoreEos()));
            }
        }
        for (int i = 0; i < requests.size(); i++) {
            choices.add(new Choice(i, requests.get(i).prompt()));
        }
        unfinished = choices.size();
        channel.closeFuture().addListener(cancelOnClose);
        try {
            for (int i = 0; i < requests.size(); i++) {
                tickets.add(model.loop().submit(i, requests.get(i), choices.get(i)));
            }
        } catch (QueueFullException e) {
            abandon();
            throw ApiException.overloaded(1);
        } catch (IllegalStateException e) {
            abandon();
            throw ApiException.unavailable(e.getMessage());
        } catch (IllegalArgumentException e) {
            abandon();
            throw ApiException.badRequest(promptParam, e.getMessage());
        }
        if (generation.stream()) {
            // Safe after submitting: this runs on the channel's event loop, so writes the loop thread
            // queues for the first tokens can only run after these headers.
            Sse.begin(channel);
        }
        metrics.promptTokens.labelValues(model.name()).inc(promptTokens);
    }

    /** Aborts every choice still running (the client went away); safe from any thread, more than once. */
    void cancel() {
        if (!done) {
            cancelAll();
        }
    }

    /** The call never started: cancel what was submitted, and let the connection forget the call. */
    private void abandon() {
        channel.closeFuture().removeListener(cancelOnClose);
        cancel();
    }

    private void cancelAll() {
        for (ServingLoop.Ticket t : List.copyOf(tickets)) {
            t.cancel();
        }
    }

    private void finished() {
        if (--unfinished > 0) {
            return;
        }
        // A keep-alive connection carries many calls: left registered, every finished call would stay
        // reachable from the connection until it closes.
        channel.closeFuture().removeListener(cancelOnClose);
        if (done) {
            return;
        }
        done = true;
        int generated = 0;
        for (Choice c : choices) {
            generated += c.tokens;
        }
        Usage usage = new Usage(promptTokens, generated);
        if (!channel.isActive()) {
            return;
        }
        if (generation.stream()) {
            if (generation.includeUsage()) {
                Sse.event(channel, OpenAiResponses.usageChunk(id, created, model.name(), chat, usage));
            }
            Sse.end(channel, keepAlive);
        } else {
            List<ChoiceOutput> outputs = new ArrayList<>();
            for (Choice c : choices) {
                outputs.add(new ChoiceOutput(c.index, c.completion.text(), c.completion.finishReason().apiName(), c.logprobs));
            }
            byte[] body = chat ? OpenAiResponses.chatCompletion(id, created, model.name(), outputs, usage)
                    : OpenAiResponses.completion(id, created, model.name(), outputs, usage);
            Responses.json(channel, 200, body, keepAlive);
        }
    }

    /** One choice: one sequence. */
    private final class Choice implements SequenceListener {
        final int index;
        int previous;
        int tokens;
        long lastToken;
        Completion completion;
        final List<TokenLogprob> logprobs = generation.logprobs().enabled() ? new ArrayList<>() : null;
        /** Logprobs of tokens whose text is still held back (a possible stop string, a partial character). */
        List<TokenLogprob> pending = generation.logprobs().enabled() ? new ArrayList<>() : null;
        boolean roleSent;
        /** Code points of text streamed so far: the text_offset of the next chunk. */
        int streamedLength;

        Choice(int index, int[] prompt) {
            this.index = index;
            this.previous = prompt[prompt.length - 1];
        }

        @Override
        public void onToken(TokenEvent event, Sample sample) {
            if (event.token() >= 0) {
                long now = System.nanoTime();
                if (tokens == 0) {
                    metrics.timeToFirstToken.labelValues(model.name()).observe((now - arrival) / 1e9);
                } else {
                    metrics.timePerOutputToken.labelValues(model.name()).observe((now - lastToken) / 1e9);
                }
                lastToken = now;
                tokens++;
                if (pending != null) {
                    pending.add(logprob(event.token(), sample));
                }
                previous = event.token();
            }
            if (generation.stream() && (!event.text().isEmpty() || (pending != null && !pending.isEmpty()))) {
                if (event.text().isEmpty() && pending != null) {
                    return; // nothing to show yet: the token's logprob goes out with the text it belongs to
                }
                List<TokenLogprob> lp = takePending();
                if (chat) {
                    Sse.event(channel, OpenAiResponses.chatChunk(id, created, model.name(), index, roleOnce(),
                            event.text(), lp, null));
                } else {
                    Sse.event(channel, OpenAiResponses.completionChunk(id, created, model.name(),
                            new ChoiceOutput(index, event.text(), null, lp), streamedLength));
                }
                streamedLength += Offsets.length(event.text());
            } else if (!generation.stream() && pending != null) {
                logprobs.addAll(pending);
                pending.clear();
            }
        }

        private List<TokenLogprob> takePending() {
            if (pending == null) {
                return null;
            }
            List<TokenLogprob> out = List.copyOf(pending);
            pending.clear();
            return out;
        }

        private String roleOnce() {
            if (roleSent) {
                return null;
            }
            roleSent = true;
            return "assistant";
        }

        private TokenLogprob logprob(int token, Sample sample) {
            return TokenLogprobs.of(model.tokenizer(), previous, token, sample, generation.logprobs().top());
        }

        @Override
        public void onFinish(Completion c) {
            completion = c;
            long now = System.nanoTime();
            metrics.generatedTokens.labelValues(model.name()).inc(tokens);
            metrics.endToEnd.labelValues(model.name()).observe((now - arrival) / 1e9);
            metrics.requests.labelValues(model.name(), c.finishReason().apiName()).inc();
            if (pending != null && !generation.stream()) {
                logprobs.addAll(pending);
                pending.clear();
            }
            if (generation.stream() && channel.isActive() && c.finishReason() != FinishReason.ABORT) {
                List<TokenLogprob> lp = pending == null || pending.isEmpty() ? null : takePending();
                String reason = c.finishReason().apiName();
                if (chat) {
                    Sse.event(channel, OpenAiResponses.chatChunk(id, created, model.name(), index, roleOnce(),
                            roleSent && lp == null ? null : "", lp, reason));
                } else {
                    Sse.event(channel, OpenAiResponses.completionChunk(id, created, model.name(),
                            new ChoiceOutput(index, "", reason, lp), streamedLength));
                }
            }
            finished();
        }

        @Override
        public void onError(RuntimeException error) {
            completion = new Completion("", new int[0], new float[0], FinishReason.ABORT, 0);
            if (!done && channel.isActive()) {
                done = true;
                cancelAll();
                ApiException e = ApiException.internal("generation failed: " + error.getMessage());
                if (generation.stream()) {
                    Sse.event(channel, OpenAiResponses.error(e));
                    Sse.end(channel, false);
                } else {
                    Responses.error(channel, e, false);
                }
            }
            finished();
        }
    }
}
