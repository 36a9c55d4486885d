package dev.cascade.engine.cascade;

import java.util.concurrent.CompletableFuture;

/**
 * Judges a stage's answer: at or above the stage's threshold it is accepted, below it the request
 * escalates. Scores are comparable only within one scorer.
 */
public interface Scorer {

    /** The scorer's name as configuration and traces spell it. */
    String name();

    double score(StageAnswer answer);

    /**
     * For scorers whose score can only fall as tokens arrive (minimum log-probability): the score
     * the answer can still reach after these first tokens, so a stage can stop and escalate as
     * soon as its threshold is out of reach. {@link Double#POSITIVE_INFINITY} when it cannot tell.
     */
    default double bestReachable(float[] logprobs, int count) {
        return Double.POSITIVE_INFINITY;
    }

    /**
     * A pass/fail check (format, regex) that scores 1 or 0 rather than on a scale: combined with
     * a graded scorer it decides on its own instead of being compared with log-probabilities.
     */
    default boolean gate() {
        return false;
    }

    /** What scoring costs, in the cascade's cost units (0 for scorers that only read the answer). */
    default double cost() {
        return 0;
    }

    /**
     * The score and its cost, possibly later: a scorer that asks another model (a judge) must not
     * wait for it on the thread that calls here, which may be the very scheduler thread that model
     * needs. The future may complete on any thread. By default, {@link #score} at once.
     */
    default CompletableFuture<Scored> scoreAsync(StageAnswer answer) {
        return CompletableFuture.completedFuture(new Scored(score(answer), cost()));
    }
}
