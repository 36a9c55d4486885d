package dev.cascade.engine.generate;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that owns a {@link Scheduler}: requests and cancellations from any thread go through
 * its inbox and take effect between two steps; while there is work it steps without pause, and
 * while there is none it sleeps on the inbox.
 */
public final class ServingLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ServingLoop.class.getName());

    private final Scheduler scheduler;
    private final int maxWaiting;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Submitted but not yet finished or aborted: what the queue cap counts, with the running ones. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean stopped;

    private volatile int running;
    private volatile int waiting;
    private volatile int blocksUsed;
    private volatile long preemptions;
    private volatile long prefixQueried;
    private volatile long prefixHits;
    private volatile int blocksCached;

    public ServingLoop(Scheduler scheduler, int maxWaiting, String name) {
        this.scheduler = scheduler;
        this.maxWaiting = maxWaiting;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.start();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** A request on its way: cancel it from any thread, at any point. */
    public final class Ticket {
        private Sequence sequence;
        private boolean cancelled;

        public void cancel() {
            inbox.add(() -> {
                cancelled = true;
                if (sequence != null) {
                    scheduler.abort(sequence);
                }
            });
        }
    }

    /**
     * Queues a request; the listener hears it on the loop thread. Throws IllegalArgumentException
     * for a request that cannot run on this model, {@link QueueFullException} when
     * {@code maxWaiting} requests already wait, IllegalStateException once shutdown has begun.
     */
    public Ticket submit(int index, GenerationRequest request, SequenceListener listener) {
        if (!accepting) {
            throw new IllegalStateException("the server is shutting down");
        }
        scheduler.validate(request);
        int queued = inFlight.get() - running;
        if (queued >= maxWaiting) {
            throw new QueueFullException(queued);
        }
        inFlight.incrementAndGet();
        SequenceListener counted = new SequenceListener() {
            @Override
            public void onToken(TokenEvent event, dev.cascade.engine.sampling.Sample sample) {
                listener.onToken(event, sample);
            }

            @Override
            public void onFinish(Completion completion) {
                inFlight.decrementAndGet();
                listener.onFinish(completion);
            }

            @Override
            public void onError(RuntimeException error) {
                inFlight.decrementAndGet();
                listener.onError(error);
            }
        };
        Ticket ticket = new Ticket();
        inbox.add(() -> {
            if (ticket.cancelled) {
                counted.onFinish(new Completion("", new int[0], new float[0], FinishReason.ABORT, request.prompt().length));
                return;
            }
            try {
                ticket.sequence = scheduler.add(index, request, counted);
            } catch (RuntimeException e) {
                counted.onError(e);
            }
        });
        return ticket;
    }

    public int running() {
        return running;
    }

    /** Requests waiting for their first step, including those not yet picked up from the inbox. */
    public int waiting() {
        return Math.max(waiting, inFlight.get() - running);
    }

    public int blocksUsed() {
        return blocksUsed;
    }

    public int blocksTotal() {
        return scheduler.allocator().total();
    }

    public long preemptions() {
        return preemptions;
    }

    /** Prompt tokens looked up in the prefix cache since the start. */
    public long prefixCacheQueriedTokens() {
        return prefixQueried;
    }

    /** Of those, the tokens found cached (their keys and values not computed again). */
    public long prefixCacheHitTokens() {
        return prefixHits;
    }

    /** Unheld KV blocks kept for the prefix cache (free to take, counted as free). */
    public int blocksCached() {
        return blocksCached;
    }

    /** True while requests are queued or running. */
    public boolean busy() {
        return inFlight.get() > 0;
    }

    /**
     * Stops taking requests, lets the ones in flight finish for up to {@code grace}, then aborts
     * what is left and stops the thread.
     */
    public void drain(Duration grace) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + grace.toNanos();
        while (busy() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        close();
    }

    /** Aborts everything in flight and stops the thread. */
    @Override
    public void close() {
        accepting = false;
        inbox.add(() -> {
            scheduler.clear(null);
            stopped = true;
        });
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                Runnable task = scheduler.idle() ? inbox.poll(50, TimeUnit.MILLISECONDS) : inbox.poll();
                while (task != null) {
                    task.run();
                    task = inbox.poll();
                }
                if (!stopped) {
                    scheduler.step();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                // A failed step must not take the server down: the sequences in it end with the error.
                LOG.log(Level.SEVERE, "a generation step failed; failing its requests", e);
                scheduler.clear(e instanceof RuntimeException re ? re : new IllegalStateException(e.toString(), e));
            }
            running = scheduler.running();
            waiting = scheduler.waiting();
            blocksUsed = scheduler.allocator().used();
            preemptions = scheduler.preemptions();
            prefixQueried = scheduler.prefixCacheQueriedTokens();
            prefixHits = scheduler.prefixCacheHitTokens();
            blocksCached = scheduler.allocator().cachedUnused();
        }
    }
}
