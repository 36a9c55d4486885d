package dev.cascade.kernels.cuda;

import dev.cascade.kernels.StepPlan;

/**
 * Which decode steps run from a CUDA graph, and the graphs. A pure decode step (one row per
 * sequence, each wanting its logits) of r rows, r up to {@value #LARGEST}, is run eagerly the first
 * time (so every buffer it needs is allocated, which a capture may not do), captured the second
 * time, and replayed from then on. A graph is per exact row count: padding rows up to a bucket
 * would need dummy tokens with cache slots of their own, and captures are cheap next to a server's
 * life. A shape whose capture failed is run eagerly for good.
 *
 * @param <G> the graph (a CudaGraph on the device; anything closeable in tests)
 */
final class DecodeGraphs<G extends AutoCloseable> implements AutoCloseable {
    /** Past this many rows a step's own work dwarfs its launch overhead. */
    static final int LARGEST = 256;

    enum Action { EAGER, CAPTURE, REPLAY }

    private final boolean enabled;
    private final Object[] graphs = new Object[LARGEST + 1];
    private final byte[] state = new byte[LARGEST + 1];
    private static final byte UNSEEN = 0, SEEN = 1, FAILED = 2;

    DecodeGraphs(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** Whether a step is pure decode: one row per sequence, each wanting its logits (what a graph replays). */
    static boolean isDecodeOnly(StepPlan plan) {
        if (plan.rows() == 0 || plan.rows() != plan.sequences() || plan.logitCount() != plan.rows()) {
            return false;
        }
        for (int r = 0; r < plan.rows(); r++) {
            if (plan.sequenceOf(r) != r || plan.logitRow(r) != r) {
                return false;
            }
        }
        return true;
    }

    /** What to do with this step; a step to capture counts as seen. */
    Action next(StepPlan plan) {
        int rows = plan.rows();
        if (!enabled || rows > LARGEST || !isDecodeOnly(plan) || state[rows] == FAILED) {
            return Action.EAGER;
        }
        if (graphs[rows] != null) {
            return Action.REPLAY;
        }
        if (state[rows] == UNSEEN) {
            state[rows] = SEEN;
            return Action.EAGER;
        }
        return Action.CAPTURE;
    }

    @SuppressWarnings("unchecked")
    G graph(int rows) {
        return (G) graphs[rows];
    }

    void captured(int rows, G graph) {
        if (graphs[rows] != null) {
            throw new IllegalStateException("a graph of " + rows + " rows is already held");
        }
        graphs[rows] = graph;
    }

    /** The capture of this shape failed: it runs eagerly from now on. */
    void failed(int rows) {
        state[rows] = FAILED;
    }

    /** How many graphs are held. */
    int size() {
        int n = 0;
        for (Object g : graphs) {
            n += g == null ? 0 : 1;
        }
        return n;
    }

    /**
     * Drops every graph (the buffers they read moved): each shape is captured again, without the
     * warm-up run, the next time it comes.
     */
    void clear() {
        for (int r = 0; r <= LARGEST; r++) {
            if (graphs[r] != null) {
                closeQuietly((AutoCloseable) graphs[r]);
                graphs[r] = null;
            }
        }
    }

    @Override
    public void close() {
        clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a graph that cannot be destroyed leaks a little device memory; nothing to do about it
        }
    }
}
