package dev.cascade.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a {@link ServeConfig} from YAML, with errors that name the file, the line and the field. */
public final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * The line where {@code key:} first appears: records are built after their whole mapping is
     * read, so Jackson's own location points past the mistake.
     */
    private static int lineOf(Path file, String key, int fallback) {
        try {
            java.util.List<String> lines = Files.readAllLines(file);
            java.util.regex.Pattern p = java.util.regex.Pattern.compile("^\\s*(- )?\\s*" + java.util.regex.Pattern.quote(key) + "\\s*:");
            for (int i = 0; i < lines.size(); i++) {
                if (p.matcher(lines.get(i)).find()) {
                    return i + 1;
                }
            }
        } catch (IOException ignored) {
            // the caller's location will do
        }
        return fallback;
    }

    public static ServeConfig load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            ServeConfig c = yaml.readValue(Files.readAllBytes(file), ServeConfig.class);
            if (c == null) {
                throw new IllegalArgumentException(file + " is empty");
            }
            if (c.models() != null) {
                for (int i = 0; i < c.models().size(); i++) {
                    ModelSettings m = c.models().get(i);
                    if (m == null || m.model() == null || m.model().isBlank()) {
                        throw new IllegalArgumentException(file + ": models[" + i + "] needs 'model' (a path, demo-tiny, random:..., ...)");
                    }
                }
            }
            if (c.cascades() != null) {
                // schema files are found next to the config, wherever it is read from
                Path dir = file.toAbsolutePath().getParent();
                c = c.withCascades(c.cascades().stream().map(k -> k == null ? null : k.resolvedAgainst(dir)).toList());
            }
            return c;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such config file: " + file);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ", line " + lineOf(file, e.getPropertyName(), e.getLocation().getLineNr())
                    + ": unknown setting '" + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr();
            throw new IllegalArgumentException(file + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
