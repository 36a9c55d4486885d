package dev.cascade.engine.generate;

/** The waiting queue is at its cap: the caller should retry later (HTTP 429). */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(int waiting) {
        super(waiting + " requests are already waiting; try again shortly");
    }
}
