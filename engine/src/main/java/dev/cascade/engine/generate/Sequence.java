package dev.cascade.engine.generate;

import dev.cascade.engine.kv.BlockTable;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.Sampler;
import dev.cascade.engine.sampling.TokenHistory;
import dev.cascade.engine.text.StopStrings;
import dev.cascade.engine.text.Utf8Stream;

import java.util.Arrays;

/**
 * A sequence being generated: its tokens, the part of them already in the KV cache, and its text so
 * far. Outside this package it is only a handle, for {@link Scheduler#abort}.
 */
public final class Sequence {
    final int index;
    final GenerationRequest request;
    final BlockTable blocks;
    final Sampler sampler;
    final TokenHistory history;
    final Sample sample;
    final Utf8Stream utf8 = new Utf8Stream();
    final StopStrings stops;
    final StringBuilder text = new StringBuilder();

    /** Prompt then generated ids. */
    int[] tokens;
    int length;
    /** How many of {@link #tokens} have their keys and values in the cache. */
    int cached;
    float[] logprobs = new float[16];
    int generated;
    FinishReason finish;
    SequenceListener listener;
    /** Order of arrival at the scheduler: the newest running sequence is preempted first. */
    long arrival;
    int preemptions;

    Sequence(int index, GenerationRequest request, int maxBlocks, int vocabSize) {
        this.index = index;
        this.request = request;
        this.blocks = new BlockTable(maxBlocks);
        this.sampler = new Sampler(request.sampling(), vocabSize);
        this.sample = new Sample(request.probeTokens());
        this.history = request.sampling().penalized() ? new TokenHistory(vocabSize) : null;
        this.stops = new StopStrings(request.stop());
        this.tokens = Arrays.copyOf(request.prompt(), request.prompt().length + Math.max(16, request.maxTokens()));
        this.length = request.prompt().length;
        if (history != null) {
            for (int t : request.prompt()) {
                history.addPrompt(t);
            }
        }
    }

    public boolean finished() {
        return finish != null;
    }

    /** How many times this sequence was preempted and recomputed. */
    public int preemptions() {
        return preemptions;
    }

    int promptLength() {
        return request.prompt().length;
    }

    void append(int token, float logprob) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
        if (generated == logprobs.length) {
            logprobs = Arrays.copyOf(logprobs, logprobs.length * 2);
        }
        logprobs[generated++] = logprob;
        if (history != null) {
            history.addGenerated(token);
        }
    }

    int last() {
        return tokens[length - 1];
    }

    Completion completion() {
        return new Completion(text.toString(), Arrays.copyOfRange(tokens, promptLength(), length),
                Arrays.copyOf(logprobs, generated), finish, promptLength());
    }
}
