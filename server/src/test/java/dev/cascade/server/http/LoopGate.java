package dev.cascade.server.http;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.SamplingParams;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A sequence submitted straight to a model's loop whose listener can hold the loop thread: while
 * held, every sequence of that model stands still, however fast the model. Tests use it to make
 * "while a request runs" certain instead of a race against demo-tiny's speed.
 */
final class LoopGate implements SequenceListener, AutoCloseable {
    /** Room for the gate to outlast the requests it holds up: 63 tokens after BOS fill demo-tiny's context. */
    private static final int TOKENS = 63;

    final CompletableFuture<Completion> finished = new CompletableFuture<>();
    private final Semaphore held = new Semaphore(0);
    private final Semaphore released = new Semaphore(0);
    private volatile BooleanSupplier holdWhen;
    private int tokens;

    private LoopGate(BooleanSupplier holdWhen) {
        this.holdWhen = holdWhen;
    }

    /** Submits a gate that holds the loop at its {@code token}-th token (1 for the first). */
    static LoopGate holdingAtToken(ServedModel model, int token) throws InterruptedException {
        LoopGate gate = new LoopGate(null);
        gate.holdWhen = () -> gate.tokens >= token;
        SamplingParams greedy = SamplingParams.GREEDY;
        model.loop().submit(0, new GenerationRequest(new int[]{model.model().bosTokenId()}, greedy, TOKENS, List.of(), true),
                gate);
        gate.awaitHeld();
        return gate;
    }

    /** Lets the loop go on, to be held again at the first token where {@code condition} holds. */
    void releaseUntil(BooleanSupplier condition) throws InterruptedException {
        holdWhen = condition;
        released.release();
        awaitHeld();
    }

    /** Lets the loop go on for good. */
    void release() {
        holdWhen = null;
        released.release();
    }

    /** Releases the loop if a failed assertion left it held, so that later tests still run. */
    @Override
    public void close() {
        holdWhen = null;
        released.release(Integer.MAX_VALUE / 2);
    }

    private void awaitHeld() throws InterruptedException {
        if (!held.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the loop never reached the gate");
        }
    }

    @Override
    public void onToken(TokenEvent event, Sample sample) {
        tokens++;
        BooleanSupplier condition = holdWhen;
        if (condition != null && condition.getAsBoolean()) {
            holdWhen = null;
            held.release();
            released.acquireUninterruptibly();
        }
    }

    @Override
    public void onFinish(Completion completion) {
        finished.complete(completion);
    }

    @Override
    public void onError(RuntimeException error) {
        finished.completeExceptionally(error);
    }
}
