package dev.cascade.engine.generate;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs one or several sequences to completion on one model: every step feeds each unfinished
 * sequence its uncached tokens (a prompt chunk, or the token sampled last), samples the rows that
 * end a sequence's input, and applies the stop rules. The continuous-batching scheduler reuses the
 * same pieces with admission and preemption on top.
 */
public final class Generator {
    private final Transformer model;
    private final Tokenizer tokenizer;
    private final Set<Integer> eos;
    private final KvLayout layout;
    private final BlockAllocator allocator;
    private final StepPlan plan;
    private final float[] logits;
    private final int vocab;
    /** The sequence each logit row of the current step belongs to. */
    private final Sequence[] byLogitRow;

    public Generator(Transformer model, Tokenizer tokenizer, Set<Integer> eos, KvLayout layout, int maxSequences) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.eos = Set.copyOf(eos);
        this.layout = layout;
        this.allocator = new BlockAllocator(layout.blocks());
        int context = model.config().contextLength();
        this.plan = new StepPlan(model.maxRows(), maxSequences, (context + layout.blockSize() - 1) / layout.blockSize(),
                layout.blockSize());
        this.vocab = model.config().vocabSize();
        this.logits = new float[Math.min(model.maxRows(), maxSequences) * vocab];
        this.byLogitRow = new Sequence[maxSequences];
    }

    public BlockAllocator allocator() {
        return allocator;
    }

    /** Generates all requests together; {@code onToken} (may be null) sees every token as it comes. */
    public List<Completion> generate(List<GenerationRequest> requests, Consumer<TokenEvent> onToken) {
        if (requests.size() > plan.maxSequences()) {
            throw new IllegalArgumentException(requests.size() + " requests; this generator takes " + plan.maxSequences());
        }
        int context = model.config().contextLength();
        List<Sequence> seqs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            GenerationRequest r = requests.get(i);
            if (r.prompt().length >= context) {
                throw new IllegalArgumentException("prompt of " + r.prompt().length + " tokens does not fit the context of "
                        + context + " (it needs room for at least one generated token)");
            }
            for (int t : r.prompt()) {
                if (t < 0 || t >= vocab) {
                    throw new IllegalArgumentException("prompt token " + t + " is outside the vocabulary (0.." + (vocab - 1) + ")");
                }
            }
            Sequence s = new Sequence(i, r, plan.maxBlocksPerSequence(), vocab);
            if (r.maxTokens() == 0) {
                s.finish = FinishReason.LENGTH;
            }
            seqs.add(s);
        }
        try {
            while (step(seqs, onToken)) {
                // each step advances every unfinished sequence
            }
        } finally {
            for (Sequence s : seqs) {
                s.blocks.releaseAll(allocator);
            }
        }
        List<Completion> out = new ArrayList<>(seqs.size());
        for (Sequence s : seqs) {
            out.add(s.completion());
        }
        return out;
    }

    /** One forward step over every unfinished sequence; false when none is left. */
    private boolean step(List<Sequence> seqs, Consumer<TokenEvent> onToken) {
        plan.clear();
        int budget = model.maxRows();
        for (Sequence s : seqs) {
            if (s.finished() || budget == 0) {
                continue;
            }
            int chunk = Math.min(s.length - s.cached, budget);
            if (!s.blocks.ensureCapacity(s.cached + chunk, layout.blockSize(), allocator)) {
                throw new IllegalStateException("the KV cache (" + layout.tokens() + " tokens) is too small for "
                        + seqs.size() + " sequences of this length");
            }
            boolean wantLogits = s.cached + chunk == s.length;
            plan.addSequence(s.blocks.array(), s.blocks.count(), s.tokens, s.cached, s.cached + chunk, s.cached, wantLogits);
            if (wantLogits) {
                byLogitRow[plan.logitCount() - 1] = s;
            }
            s.cached += chunk;
            budget -= chunk;
        }
        if (plan.rows() == 0) {
            return false;
        }
        model.forward(plan, logits);
        for (int i = 0; i < plan.logitCount(); i++) {
            accept(byLogitRow[i], i, onToken);
        }
        return true;
    }

    private void accept(Sequence s, int logitRow, Consumer<TokenEvent> onToken) {
        s.sampler.sample(logits, logitRow * vocab, s.history, s.sample);
        int token = s.sample.token;
        if (!s.request.ignoreEos() && eos.contains(token)) {
            finish(s, FinishReason.STOP, onToken);
            return;
        }
        int previous = s.last();
        s.append(token, s.sample.logprob);
        String piece = s.stops.append(s.utf8.append(tokenizer.tokenBytes(previous, token)));
        s.text.append(piece);
        if (onToken != null) {
            onToken.accept(new TokenEvent(s.index, token, piece, s.sample.logprob));
        }
        if (s.stops.stopped()) {
            s.finish = FinishReason.STOP;
        } else if (s.generated >= s.request.maxTokens() || s.length >= model.config().contextLength()) {
            finish(s, FinishReason.LENGTH, onToken);
        }
    }

    /** Ends a sequence, releasing any text still held back. */
    private void finish(Sequence s, FinishReason reason, Consumer<TokenEvent> onToken) {
        String rest = s.stops.append(s.utf8.flush());
        if (!s.stops.stopped()) {
            rest += s.stops.flush();
        }
        s.text.append(rest);
        if (!rest.isEmpty() && onToken != null) {
            onToken.accept(new TokenEvent(s.index, -1, rest, 0f));
        }
        s.finish = s.stops.stopped() ? FinishReason.STOP : reason;
    }
}
