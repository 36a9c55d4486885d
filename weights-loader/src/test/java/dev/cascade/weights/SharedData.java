package dev.cascade.weights;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ../shared folder of reference data; tests that need it skip with a message when it is absent. */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        return Path.of(System.getProperty("cascade.shared", "../shared")).toAbsolutePath().normalize();
    }

    /** The path under ../shared, skipping the calling test when it is not there. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        assumeTrue(Files.exists(p), "skipped: reference data " + p + " is absent (../shared not checked out)");
        return p;
    }
}
