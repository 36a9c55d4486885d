package dev.cascade.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run {@link ParallelTask}s in chunks. The calling thread takes part
 * as worker 0, so a pool of parallelism {@code p} starts {@code p - 1} threads, once.
 *
 * <p>Kernel tasks last 1-100 µs, so the hand-off must cost far less than that: a call publishes
 * the task with one volatile write, workers that ran recently are still spinning and see it
 * within nanoseconds, and only workers that have been idle longer than {@code spinNanos} are
 * parked and need an unpark (a few µs). Chunks are claimed from a shared counter tagged with the
 * job's generation, so uneven chunks balance themselves, and the caller waits only for the chunks
 * to be done, never for a worker that has not woken up: on a machine with more busy threads than
 * cores a descheduled worker would otherwise cost every call a scheduler time slice.
 *
 * <p>Which worker runs which chunk varies between calls; kernels must make each output depend only
 * on its inputs (fixed reduction order), never on the chunk-to-thread assignment.
 *
 * <p>{@link #run} is for one calling thread at a time (the engine's forward loop); a second
 * concurrent caller gets an exception instead of corrupting the first call.
 */
public final class WorkerPool implements AutoCloseable {

    /** How long an idle worker spins before parking, by default. */
    public static final long DEFAULT_SPIN_NANOS = 100_000;
    /** How many times the caller spins for the last chunks before it starts yielding (a few µs). */
    private static final int WAIT_SPINS = 2_000;

    private final int parallelism;
    private final long spinNanos;
    private final Worker[] workers;

    // The current job. Written by the caller before the volatile write of `generation`.
    private ParallelTask task;
    private int chunkCount;
    /** (generation << 32) | next unclaimed chunk: a claim from an older job fails its CAS. */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile long generation;
    private volatile Throwable failure;
    private volatile boolean closed;
    private final AtomicInteger callers = new AtomicInteger();

    /** A pool as wide as the machine. */
    public WorkerPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public WorkerPool(int parallelism) {
        this(parallelism, DEFAULT_SPIN_NANOS);
    }

    public WorkerPool(int parallelism, long spinNanos) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.parallelism = parallelism;
        this.spinNanos = spinNanos;
        this.workers = new Worker[parallelism - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    /** Number of threads that run chunks, the caller included. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code task} for chunks {@code 0 .. chunks-1} and returns when all are done. Exceptions
     * thrown by a chunk are rethrown here (after the other chunks finished).
     */
    public void run(ParallelTask task, int chunks) {
        if (chunks <= 0) {
            return;
        }
        if (workers.length == 0 || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                task.run(c, 0);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (callers.getAndIncrement() != 0) {
            callers.decrementAndGet();
            throw new IllegalStateException("WorkerPool.run is not re-entrant; one caller at a time");
        }
        try {
            long g = generation + 1;
            // first retag the claims, so a worker still holding an older job cannot claim a chunk
            // with a half-written task; then the job; then the generation, which publishes it
            claims.set(g << 32);
            this.task = task;
            this.chunkCount = chunks;
            completed.setPlain(0);
            failure = null;
            generation = g;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
            }
            runChunks(g, task, chunks, 0);
            for (int spins = 0; completed.get() != chunks; spins++) {
                if (spins < WAIT_SPINS) {
                    Thread.onSpinWait();
                } else {
                    // a chunk still running elsewhere: its thread may be waiting for this very core
                    // (more runnable threads than cores, as when a server shares the machine), so
                    // let the scheduler run it rather than spin through its time slice
                    Thread.yield();
                }
            }
            this.task = null;
            Throwable t = failure;
            if (t != null) {
                failure = null;
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                if (t instanceof Error e) {
                    throw e;
                }
                throw new RuntimeException(t);
            }
        } finally {
            callers.decrementAndGet();
        }
    }

    /** Claims and runs chunks of job {@code g} until none is left (or the job is over). */
    private void runChunks(long g, ParallelTask task, int chunks, int worker) {
        while (true) {
            long s = claims.get();
            int c = (int) s;
            if (s >>> 32 != g || c >= chunks) {
                return;
            }
            if (!claims.compareAndSet(s, s + 1)) {
                continue;
            }
            try {
                task.run(c, worker);
                completed.incrementAndGet();
            } catch (Throwable t) {
                failure = t;
                // the others stop taking new chunks; count the ones nobody will run as done
                long rest;
                do {
                    rest = claims.get();
                } while (rest >>> 32 == g && !claims.compareAndSet(rest, (g << 32) | chunks));
                int skipped = rest >>> 32 == g ? chunks - (int) rest : 0;
                completed.addAndGet(1 + Math.max(0, skipped));
                return;
            }
        }
    }

    /** Stops the worker threads; the pool cannot run tasks afterwards. */
    @Override
    public void close() {
        closed = true;
        generation = generation + 1;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        final int index;
        final Thread thread;
        volatile boolean parked;

        Worker(int index) {
            this.index = index;
            this.thread = new Thread(this, "cascade-cpu-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long g = awaitGeneration(seen);
                if (closed) {
                    return;
                }
                seen = g;
                // read after the volatile generation: the task and count of job g, or of a later
                // job, whose claims then fail the generation check
                ParallelTask t = task;
                int chunks = chunkCount;
                if (t != null) {
                    runChunks(g, t, chunks, index);
                }
            }
        }

        private long awaitGeneration(long seen) {
            long g;
            long spinStart = System.nanoTime();
            int spins = 0;
            while ((g = generation) == seen) {
                if (++spins < 64 || System.nanoTime() - spinStart < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                // Announce the park before re-checking, so run() either sees `parked` or we see
                // the new generation (both fields are volatile).
                parked = true;
                if ((g = generation) != seen) {
                    parked = false;
                    return g;
                }
                LockSupport.park(this);
                parked = false;
                spinStart = System.nanoTime();
                spins = 0;
            }
            return g;
        }
    }
}
