package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler behind its own thread: submissions and cancellations from many threads at once. */
class ServingLoopTest {

    @BeforeAll
    static void load() throws Exception {
        SchedulerTest.load();
    }

    static ServingLoop loop(int blocks, int maxWaiting) {
        var model = SchedulerTest.model;
        KvLayout layout = new KvLayout(model.config().layers(), blocks, 16, model.config().kvHeads(), model.config().headDim());
        Transformer t = new Transformer(model, Backends.create("cpu", 2).backend(), layout, 64);
        Scheduler s = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout, new SchedulerLimits(16, 64));
        return new ServingLoop(s, maxWaiting, "test-loop");
    }

    static final class Result implements SequenceListener {
        final CompletableFuture<Completion> done = new CompletableFuture<>();
        final CountDownLatch firstToken = new CountDownLatch(1);
        final StringBuilder streamed = new StringBuilder();

        @Override
        public void onToken(TokenEvent event, Sample sample) {
            streamed.append(event.text());
            firstToken.countDown();
        }

        @Override
        public void onFinish(Completion completion) {
            done.complete(completion);
        }

        @Override
        public void onError(RuntimeException error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void sixteenThreadsAtOnceEachGetTheirAloneOutput() throws Exception {
        List<GenerationRequest> requests = SchedulerTest.requests();
        try (ServingLoop loop = loop(12, 64)) { // 192 tokens of KV for 16 requests: preemptions too
            List<Thread> threads = new ArrayList<>();
            Result[] results = new Result[16];
            for (int i = 0; i < 16; i++) {
                int index = i;
                results[i] = new Result();
                threads.add(Thread.ofPlatform().start(() -> loop.submit(index, requests.get(index % 8), results[index])));
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 0; i < 16; i++) {
                Completion c = results[i].done.get(120, TimeUnit.SECONDS);
                Completion alone = SchedulerTest.alone.get(i % 8);
                assertArrayEquals(alone.tokens(), c.tokens(), "request " + i);
                assertEquals(alone.text(), c.text());
                assertEquals(c.text(), results[i].streamed.toString(), "streamed pieces add up to the text");
            }
            assertTrue(loop.preemptions() > 0, "12 blocks for 16 requests should preempt");
            awaitIdle(loop);
            assertEquals(0, loop.blocksUsed());
        }
    }

    @Test
    void cancelMidStreamFreesItsBlocks() throws Exception {
        try (ServingLoop loop = loop(64, 64)) {
            Result r = new Result();
            GenerationRequest long_ = new GenerationRequest(SchedulerTest.requests().getFirst().prompt(),
                    dev.cascade.engine.sampling.SamplingParams.GREEDY, 400, List.of(), true);
            ServingLoop.Ticket ticket = loop.submit(0, long_, r);
            assertTrue(r.firstToken.await(30, TimeUnit.SECONDS));
            ticket.cancel();
            Completion c = r.done.get(30, TimeUnit.SECONDS);
            assertEquals(FinishReason.ABORT, c.finishReason());
            assertTrue(c.tokens().length < 400);
            awaitIdle(loop);
            assertEquals(0, loop.blocksUsed());
        }
    }

    @Test
    void aFullQueueRefusesAndShutdownRefuses() throws Exception {
        ServingLoop loop = loop(64, 2);
        GenerationRequest r = new GenerationRequest(SchedulerTest.requests().getFirst().prompt(),
                dev.cascade.engine.sampling.SamplingParams.GREEDY, 200, List.of(), true);
        List<Result> accepted = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            Result res = new Result();
            try {
                loop.submit(i, r, res);
                accepted.add(res);
            } catch (QueueFullException e) {
                refused++;
                assertTrue(e.getMessage().contains("waiting"), e.getMessage());
            }
        }
        assertTrue(refused > 0, "a queue capped at 2 must refuse some of 40 submitted at once");
        loop.drain(Duration.ofMinutes(2));
        for (Result res : accepted) {
            assertEquals(200, res.done.get(10, TimeUnit.SECONDS).tokens().length, "accepted requests finish during the grace period");
        }
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> loop.submit(0, r, new Result()));
        assertTrue(closed.getMessage().contains("shutting down"));
    }

    private static void awaitIdle(ServingLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((loop.busy() || loop.blocksUsed() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
