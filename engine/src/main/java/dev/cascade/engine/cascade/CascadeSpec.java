package dev.cascade.engine.cascade;

import java.util.List;

/**
 * A cascade: stages tried in order until one's answer is accepted.
 *
 * @param fallback        what to answer when every stage, the last one included, scores below its
 *                        threshold: the last answer, or the best-scored one
 * @param earlyEscalation stop a stage as soon as its score can no longer reach the threshold
 */
public record CascadeSpec(String name, List<StageSpec> stages, Fallback fallback, boolean earlyEscalation) {

    public enum Fallback { LAST, BEST }

    public CascadeSpec(String name, List<StageSpec> stages, Fallback fallback) {
        this(name, stages, fallback, true);
    }

    public CascadeSpec {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("cascade " + name + " has no stages");
        }
    }
}
