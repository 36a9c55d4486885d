package dev.cascade.server.http;

import dev.cascade.engine.cascade.CascadeSpec;

import java.util.List;

/** A cascade this server answers for under its own name, over models it also serves. */
public record ServedCascade(CascadeSpec spec, List<ServedModel> stages, long created, EscalationWindow recent) {

    /** Requests over which the rolling escalation rate is taken. */
    static final int WINDOW = 500;

    public ServedCascade(CascadeSpec spec, List<ServedModel> stages, long created) {
        this(spec, stages, created, new EscalationWindow(WINDOW));
    }

    public ServedCascade {
        stages = List.copyOf(stages);
        if (stages.size() != spec.stages().size()) {
            throw new IllegalArgumentException("cascade " + spec.name() + ": " + spec.stages().size() + " stages, "
                    + stages.size() + " models");
        }
    }

    public String name() {
        return spec.name();
    }

    /** The shortest context of its stages: a prompt must fit every stage it may reach. */
    public int contextLength() {
        return stages.stream().mapToInt(ServedModel::contextLength).min().orElseThrow();
    }
}
