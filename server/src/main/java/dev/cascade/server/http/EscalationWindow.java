package dev.cascade.server.http;

/**
 * The escalation rate over a cascade's most recent requests: a ring of the last {@code size}
 * outcomes, so a dashboard sees drift (a query mix that escalates more than it did) rather than a
 * lifetime average that hides it.
 */
final class EscalationWindow {
    private final boolean[] ring;
    private int next;
    private int filled;
    private int escalated;

    EscalationWindow(int size) {
        ring = new boolean[size];
    }

    synchronized void add(boolean wasEscalated) {
        if (filled == ring.length) {
            escalated -= ring[next] ? 1 : 0;
        } else {
            filled++;
        }
        ring[next] = wasEscalated;
        escalated += wasEscalated ? 1 : 0;
        next = (next + 1) % ring.length;
    }

    /** Share escalated among the recorded requests; 0 before any. */
    synchronized double rate() {
        return filled == 0 ? 0 : escalated / (double) filled;
    }
}
