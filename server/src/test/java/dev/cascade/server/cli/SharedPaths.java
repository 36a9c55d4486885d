package dev.cascade.server.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reference data under ../shared; a test that needs it skips with a message when it is absent. */
final class SharedPaths {
    private SharedPaths() {
    }

    static String require(String relative) {
        Path p = Path.of(System.getProperty("cascade.shared", "../shared")).resolve(relative).toAbsolutePath().normalize();
        assumeTrue(Files.exists(p), "skipped: reference data " + p + " is absent");
        return p.toString();
    }
}
