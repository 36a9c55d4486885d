package dev.cascade.weights;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bundled demo family (tools/demo-family trains it into models/demo/), known by name:
 * {@code demo-tiny}, {@code demo-small} and {@code demo-base} work wherever a model path does.
 * The folder is looked up under the {@code cascade.home} system property (the launcher sets it to
 * the checkout), then the working directory, then the checkout the running jar was built in.
 */
public final class DemoModels {
    public static final Map<String, String> NAMES = Map.of("demo-tiny", "tiny", "demo-small", "small", "demo-base", "base");

    private DemoModels() {
    }

    public static boolean isDemo(String spec) {
        return NAMES.containsKey(spec);
    }

    /** The folder of a demo model; a clear error when it has not been trained. */
    public static Path folder(String name) {
        String size = NAMES.get(name);
        if (size == null) {
            throw new ModelFormatException("unknown demo model '" + name + "'; known: demo-tiny, demo-small, demo-base");
        }
        java.util.Set<Path> tried = new java.util.LinkedHashSet<>();
        for (Path root : roots()) {
            Path folder = root.resolve("models").resolve("demo").resolve(size);
            if (Files.isRegularFile(folder.resolve("config.json"))) {
                return folder;
            }
            tried.add(folder);
        }
        throw new ModelFormatException("demo model " + name + " not found (looked in " + tried
                + "); train it with /usr/bin/python3 tools/demo-family/train.py --all, or set -Dcascade.home");
    }

    private static List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        String home = System.getProperty("cascade.home");
        if (home != null) {
            roots.add(Path.of(home).toAbsolutePath().normalize());
        }
        roots.add(Path.of("").toAbsolutePath());
        try {
            // .../server/target/cascade.jar or .../weights-loader/target/classes: the checkout is two up
            Path code = Path.of(DemoModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (code.getParent() != null && code.getParent().getParent() != null) {
                roots.add(code.getParent().getParent().getParent().normalize());
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code location: the other roots remain
        }
        return roots;
    }
}
