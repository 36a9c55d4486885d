package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a list of requests to completion on the calling thread: the {@link Scheduler} with every
 * request queued at once, stepped until all are done. Requests beyond the sequence cap, or beyond
 * what the KV cache holds at once, wait their turn.
 */
public final class Generator {
    private final Scheduler scheduler;

    public Generator(Transformer model, Tokenizer tokenizer, Set<Integer> eos, KvLayout layout, int maxSequences) {
        this.scheduler = new Scheduler(model, tokenizer, eos, layout, new SchedulerLimits(maxSequences, model.maxRows()));
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Generates all requests together; {@code onToken} (may be null) sees every token as it comes. */
    public List<Completion> generate(List<GenerationRequest> requests, Consumer<TokenEvent> onToken) {
        Completion[] done = new Completion[requests.size()];
        RuntimeException[] failure = new RuntimeException[1];
        List<Sequence> queued = new ArrayList<>();
        try {
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                queued.add(scheduler.add(i, requests.get(i), new SequenceListener() {
                    @Override
                    public void onToken(TokenEvent event, Sample sample) {
                        if (onToken != null) {
                            onToken.accept(event);
                        }
                    }

                    @Override
                    public void onFinish(Completion completion) {
                        done[index] = completion;
                    }

                    @Override
                    public void onError(RuntimeException error) {
                        failure[0] = error;
                    }
                }));
            }
            while (scheduler.step()) {
                if (failure[0] != null) {
                    throw failure[0];
                }
            }
        } finally {
            for (Sequence s : queued) {
                scheduler.abort(s); // only those still queued or running after a failure
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        if (Arrays.asList(done).contains(null)) {
            throw new IllegalStateException("the scheduler stopped with requests unfinished");
        }
        return Arrays.asList(done);
    }
}
