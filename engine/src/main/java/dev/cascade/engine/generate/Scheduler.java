package dev.cascade.engine.generate;

import dev.cascade.engine.kv.BlockAllocator;
import dev.cascade.engine.kv.PrefixCache;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sampler;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.StepPlan;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Iteration-level continuous batching (Orca, vLLM) over one model. Every {@link #step}: the
 * running sequences take their next rows oldest first (one decode token, or the next chunk of a
 * prompt), then waiting sequences are admitted into the same forward pass while the token budget,
 * the sequence cap and the free KV blocks allow. When a running sequence needs a block and none is
 * free, the newest running sequence is preempted: its blocks are freed and it goes back to the
 * front of the queue with every token it has so far, to be recomputed later. Because the kernels
 * are batch invariant, a recomputed sequence continues exactly as it would have.
 *
 * <p>Not thread safe: one thread calls {@link #add}, {@link #abort} and {@link #step}
 * ({@link ServingLoop} is that thread for a server).
 */
public final class Scheduler {
    private final Transformer model;
    private final Tokenizer tokenizer;
    private final Set<Integer> eos;
    private final KvLayout layout;
    private final BlockAllocator allocator;
    /** Full blocks kept for prompts that begin the same way; null when off. */
    private final PrefixCache prefixCache;
    /** The sequences of the current step, in the order they were scheduled. */
    private final Sequence[] stepSequences;
    private int stepCount;
    private final StepPlan plan;
    private final float[] logits;
    private final int vocab;
    private final int context;
    private final int maxSequences;
    private final int maxBatchedTokens;
    /** The sequence each logit row of the current step belongs to. */
    private final Sequence[] byLogitRow;
    /** Control tokens (BOS, EOS, pad...): generated past ignore_eos they add no text, as vLLM's default skip_special_tokens. */
    private final boolean[] special;
    /** Token choice on the GPU, when the backend does it: only ids and log-probabilities come back. */
    private final DeviceSampling deviceSampling;

    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    /** Oldest arrival first; the last one is the first to be preempted. */
    private final List<Sequence> running = new ArrayList<>();
    private final List<Sequence> finished = new ArrayList<>();
    private long arrivals;
    private long preemptions;

    public Scheduler(Transformer model, Tokenizer tokenizer, Set<Integer> eos, KvLayout layout, SchedulerLimits limits) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.eos = Set.copyOf(eos);
        this.layout = layout;
        this.allocator = new BlockAllocator(layout.blocks());
        this.prefixCache = limits.prefixCaching() ? allocator.enablePrefixCache(layout.blockSize()) : null;
        this.context = model.config().contextLength();
        this.maxSequences = limits.maxSequences();
        this.maxBatchedTokens = Math.min(limits.maxBatchedTokens(), model.maxRows());
        this.plan = new StepPlan(model.maxRows(), maxSequences, blocksFor(context), layout.blockSize());
        this.vocab = model.config().vocabSize();
        this.logits = new float[Math.min(maxBatchedTokens, maxSequences) * vocab];
        this.byLogitRow = new Sequence[maxSequences];
        this.stepSequences = new Sequence[maxSequences];
        this.special = specialTokens(tokenizer, vocab);
        this.deviceSampling = model.samplesOnDevice() ? new DeviceSampling(maxSequences) : null;
    }

    /** Which ids decode to text only when special tokens are kept (computed once: a vocabulary pass at start). */
    private static boolean[] specialTokens(Tokenizer tokenizer, int vocab) {
        boolean[] out = new boolean[vocab];
        int n = Math.min(vocab, tokenizer.vocabSize());
        int[] one = new int[1];
        for (int id = 0; id < n; id++) {
            one[0] = id;
            out[id] = tokenizer.decode(one, true).isEmpty() && !tokenizer.decode(one, false).isEmpty();
        }
        return out;
    }

    public BlockAllocator allocator() {
        return allocator;
    }

    public KvLayout layout() {
        return layout;
    }

    public int waiting() {
        return waiting.size();
    }

    public int running() {
        return running.size();
    }

    /** Prompt tokens looked up in the prefix cache since the start (0 when it is off). */
    public long prefixCacheQueriedTokens() {
        return prefixCache == null ? 0 : prefixCache.queriedTokens();
    }

    /** Of those, the tokens whose keys and values were found and not computed again. */
    public long prefixCacheHitTokens() {
        return prefixCache == null ? 0 : prefixCache.hitTokens();
    }

    /** How many times a sequence was preempted since the start. */
    public long preemptions() {
        return preemptions;
    }

    public boolean idle() {
        return waiting.isEmpty() && running.isEmpty();
    }

    /**
     * Queues a request. Throws IllegalArgumentException, naming the problem, for a prompt that
     * cannot run here (empty, token ids outside the vocabulary, no room left in the context, or
     * longer than the whole KV cache).
     */
    public Sequence add(int index, GenerationRequest request, SequenceListener listener) {
        validate(request);
        Sequence s = new Sequence(index, request, plan.maxBlocksPerSequence(), vocab);
        s.listener = listener;
        s.arrival = arrivals++;
        if (request.maxTokens() == 0) {
            s.finish = FinishReason.LENGTH;
            listener.onFinish(s.completion());
            return s;
        }
        waiting.addLast(s);
        return s;
    }

    /** The checks of {@link #add}, safe to call from any thread (they read only fixed sizes). */
    public void validate(GenerationRequest request) {
        int[] prompt = request.prompt();
        if (prompt.length >= context) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; this model's context is "
                    + context + " tokens, and at least one must be left to generate");
        }
        for (int t : prompt) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("prompt token " + t + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        for (int t : request.probeTokens()) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("probe token " + t + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        int longest = (int) Math.min(context, (long) prompt.length + request.maxTokens());
        if (blocksFor(longest) > allocator.total()) {
            throw new IllegalArgumentException("this request may need " + longest + " tokens of KV cache; the cache holds "
                    + layout.tokens() + " tokens in all (raise the KV memory or lower max_tokens)");
        }
    }

    /** The model's context length in tokens. */
    public int contextLength() {
        return context;
    }

    /** Ends a sequence now, wherever it is; its blocks return to the pool at once. */
    public void abort(Sequence s) {
        if (s.finished()) {
            return;
        }
        waiting.remove(s);
        running.remove(s);
        s.blocks.releaseAll(allocator);
        s.finish = FinishReason.ABORT;
        s.listener.onFinish(s.completion());
    }

    /** Aborts everything (shutdown), or fails everything with {@code error} when it is not null. */
    public void clear(RuntimeException error) {
        List<Sequence> all = new ArrayList<>(running);
        all.addAll(waiting);
        for (Sequence s : all) {
            if (error == null) {
                abort(s);
            } else {
                waiting.remove(s);
                running.remove(s);
                s.blocks.releaseAll(allocator);
                s.finish = FinishReason.ABORT;
                s.listener.onError(error);
            }
        }
    }

    /** One forward step over the running sequences and those admitted now; false when there was nothing to run. */
    public boolean step() {
        plan.clear();
        stepCount = 0;
        int budget = maxBatchedTokens;
        boolean preempted = false;
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence s = running.get(i);
            int chunk = Math.min(s.length - s.cached, budget);
            while (!s.blocks.ensureCapacity(s.cached + chunk, layout.blockSize(), allocator)) {
                preempt(running.removeLast());
                preempted = true;
                if (running.size() == i) {
                    break; // s itself was the newest: it waits until the older ones leave room
                }
            }
            if (running.size() == i) {
                break;
            }
            schedule(s, chunk);
            budget -= chunk;
        }
        // Admitting right after a preemption would only take the blocks back from the sequence that needed them.
        while (!preempted && budget > 0 && running.size() < maxSequences && !waiting.isEmpty()) {
            Sequence s = waiting.peekFirst();
            if (prefixCache != null && s.blocks.count() == 0) {
                s.cached = prefixCache.match(s.tokens, s.length, s.blocks);
            }
            int chunk = Math.min(s.length - s.cached, budget);
            if (!s.blocks.ensureCapacity(s.cached + chunk, layout.blockSize(), allocator)) {
                s.blocks.releaseAll(allocator); // its cached blocks wait with it, unheld
                s.cached = 0;
                break;
            }
            waiting.pollFirst();
            insertByArrival(s);
            schedule(s, chunk);
            budget -= chunk;
        }
        if (plan.rows() == 0) {
            return false;
        }
        int n = plan.logitCount();
        boolean onDevice = deviceSampling != null && deviceCompatible(n);
        if (onDevice) {
            for (int i = 0; i < n; i++) {
                Sampler sampler = byLogitRow[i].sampler;
                SamplingParams p = sampler.params();
                deviceSampling.set(i, p.temperature(), p.topK(), p.topP(), p.greedy() ? 0 : sampler.nextUniform());
            }
        }
        model.forward(plan, logits, onDevice ? deviceSampling : null);
        registerFullBlocks();
        for (int i = 0; i < n; i++) {
            Sequence s = byLogitRow[i];
            if (!onDevice) {
                s.sampler.sample(logits, i * vocab, s.history, s.sample);
            } else if (deviceSampling.token[i] >= 0) {
                s.sample.token = deviceSampling.token[i];
                s.sample.logprob = deviceSampling.logprob[i];
                s.sample.topCount = 0;
            } else {
                // left to the host: its logits were read, and it keeps the draw already taken
                s.sampler.sample(logits, i * vocab, s.history, s.sample, deviceSampling.uniform[i]);
            }
            accept(s);
        }
        retireFinished();
        return true;
    }

    /** Whether the device may choose every logit row's token this step (see {@link Sampler#deviceCompatible}). */
    private boolean deviceCompatible(int n) {
        for (int i = 0; i < n; i++) {
            Sequence s = byLogitRow[i];
            if (!s.sampler.deviceCompatible(s.sample)) {
                return false;
            }
        }
        return true;
    }

    /** The step computed its rows' keys and values: blocks they filled go into the prefix cache. */
    private void registerFullBlocks() {
        if (prefixCache != null) {
            for (int i = 0; i < stepCount; i++) {
                Sequence s = stepSequences[i];
                prefixCache.registerFull(s.blocks, s.tokens, s.cached);
            }
        }
    }

    private void schedule(Sequence s, int chunk) {
        stepSequences[stepCount++] = s;
        boolean wantLogits = s.cached + chunk == s.length;
        plan.addSequence(s.blocks.array(), s.blocks.count(), s.tokens, s.cached, s.cached + chunk, s.cached, wantLogits);
        if (wantLogits) {
            byLogitRow[plan.logitCount() - 1] = s;
        }
        s.cached += chunk;
    }

    private void preempt(Sequence s) {
        s.blocks.releaseAll(allocator);
        s.cached = 0;
        s.preemptions++;
        preemptions++;
        waiting.addFirst(s);
    }

    private void insertByArrival(Sequence s) {
        int at = running.size();
        while (at > 0 && running.get(at - 1).arrival > s.arrival) {
            at--;
        }
        running.add(at, s);
    }

    /** Takes the token in {@code s.sample}: stop on EOS, else append it, stream its text, check stops and length. */
    private void accept(Sequence s) {
        int token = s.sample.token;
        if (!s.request.ignoreEos() && eos.contains(token)) {
            finish(s, FinishReason.STOP);
            return;
        }
        int previous = s.last();
        s.append(token, s.sample.logprob);
        String piece = special[token] ? "" : s.stops.append(s.utf8.append(tokenizer.tokenBytes(previous, token)));
        s.text.append(piece);
        s.listener.onToken(new TokenEvent(s.index, token, piece, s.sample.logprob), s.sample);
        if (s.stops.stopped()) {
            s.finish = FinishReason.STOP;
        } else if (s.generated >= s.request.maxTokens() || s.length >= context) {
            finish(s, FinishReason.LENGTH);
        }
    }

    /** Ends a sequence, releasing any text still held back. */
    private void finish(Sequence s, FinishReason reason) {
        String rest = s.stops.append(s.utf8.flush());
        if (!s.stops.stopped()) {
            rest += s.stops.flush();
        }
        s.text.append(rest);
        if (!rest.isEmpty()) {
            s.listener.onToken(new TokenEvent(s.index, -1, rest, 0f), null);
        }
        s.finish = s.stops.stopped() ? FinishReason.STOP : reason;
    }

    private void retireFinished() {
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.finished()) {
                it.remove();
                s.blocks.releaseAll(allocator);
                finished.add(s);
            }
        }
        for (Sequence s : finished) {
            s.listener.onFinish(s.completion());
        }
        finished.clear();
    }

    private int blocksFor(int tokens) {
        return (tokens + layout.blockSize() - 1) / layout.blockSize();
    }
}
