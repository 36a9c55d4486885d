package dev.cascade.server.http;

import dev.cascade.engine.cascade.CascadeSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A cascade this server answers for under its own name. Stage i runs on {@code stages.get(i)}, a
 * model served here, or, where that is null, on {@code remotes.get(i)}, another server.
 */
public record ServedCascade(CascadeSpec spec, List<ServedModel> stages, List<RemoteStage> remotes, long created,
                            EscalationWindow recent) {

    /** Requests over which the rolling escalation rate is taken. */
    static final int WINDOW = 500;

    /** A cascade of local models only. */
    public ServedCascade(CascadeSpec spec, List<ServedModel> stages, long created) {
        this(spec, stages, Collections.nCopies(stages.size(), null), created, new EscalationWindow(WINDOW));
    }

    public ServedCascade(CascadeSpec spec, List<ServedModel> stages, List<RemoteStage> remotes, long created) {
        this(spec, stages, remotes, created, new EscalationWindow(WINDOW));
    }

    public ServedCascade {
        stages = Collections.unmodifiableList(new ArrayList<>(stages));
        remotes = Collections.unmodifiableList(new ArrayList<>(remotes));
        if (stages.size() != spec.stages().size() || remotes.size() != stages.size()) {
            throw new IllegalArgumentException("cascade " + spec.name() + ": " + spec.stages().size() + " stages, "
                    + stages.size() + " models");
        }
        for (int i = 0; i < stages.size(); i++) {
            if ((stages.get(i) == null) == (remotes.get(i) == null)) {
                throw new IllegalArgumentException("cascade " + spec.name() + ", stage " + (i + 1)
                        + ": needs exactly one of a local model and a remote endpoint");
            }
        }
    }

    public String name() {
        return spec.name();
    }

    /** The stage's name in traces and metrics. */
    public String stageName(int i) {
        return spec.stages().get(i).model();
    }

    /** The models served here that the cascade uses. */
    public List<ServedModel> localModels() {
        return stages.stream().filter(Objects::nonNull).toList();
    }

    /** The shortest context of its local stages: a prompt must fit every stage it may reach. */
    public int contextLength() {
        return localModels().stream().mapToInt(ServedModel::contextLength).min().orElse(Integer.MAX_VALUE);
    }
}
