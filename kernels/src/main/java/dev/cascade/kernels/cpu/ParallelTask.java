package dev.cascade.kernels.cpu;

/**
 * One parallel step, split into numbered chunks. Kernels keep one instance per kernel object and
 * set its fields before each call, so dispatching work creates no objects (no capturing lambdas).
 */
@FunctionalInterface
public interface ParallelTask {

    /**
     * Runs chunk {@code chunk}. {@code worker} is the index (0 = the calling thread) of the thread
     * running it, so a task can use per-worker scratch without synchronisation.
     */
    void run(int chunk, int worker);
}
