package dev.cascade.engine.generate;

import dev.cascade.engine.sampling.Sample;

/**
 * Hears one sequence as the scheduler runs it. Called on the scheduler's thread between steps, so
 * an implementation must return quickly (hand slow work, such as network writes, to another thread).
 */
public interface SequenceListener {

    /**
     * A generated token, or (token -1) text released at the end.
     *
     * @param sample the token's log-probability and top alternatives; null for released text. Reused
     *               for the next token: copy what you keep.
     */
    void onToken(TokenEvent event, Sample sample);

    /** The sequence ended (stop, length or abort); its KV blocks are already back in the pool. */
    void onFinish(Completion completion);

    /** The sequence could not run (a bug or a resource limit); its blocks are back in the pool. */
    void onError(RuntimeException error);
}
