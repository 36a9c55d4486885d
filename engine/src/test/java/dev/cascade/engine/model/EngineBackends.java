package dev.cascade.engine.model;

import java.util.List;

/** The backends engine tests run on. */
public final class EngineBackends {
    private EngineBackends() {
    }

    public static List<String> names() {
        return List.of("scalar", "cpu");
    }
}
