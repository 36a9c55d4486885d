package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.Completion;

import java.util.List;

/**
 * A finished cascade request.
 *
 * @param answer     the answer returned
 * @param answeredBy index of the stage whose answer it is
 * @param stages     every stage tried, in order
 * @param start      where the request entered the cascade, and what chose it
 */
public record CascadeResult(Completion answer, int answeredBy, List<StageTrace> stages, StartDecision start) {

    public CascadeResult(Completion answer, int answeredBy, List<StageTrace> stages) {
        this(answer, answeredBy, stages, StartDecision.firstStage());
    }

    public double cost() {
        return stages.stream().mapToDouble(StageTrace::cost).sum();
    }
}
