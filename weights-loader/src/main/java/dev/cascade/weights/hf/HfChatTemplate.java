package dev.cascade.weights.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.weights.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a folder's chat template where transformers looks: {@code chat_template.jinja}, then
 * {@code chat_template.json}, then the {@code chat_template} of tokenizer_config.json (a string, or
 * a list of {name, template} from which "default" is taken).
 */
public final class HfChatTemplate {
    private HfChatTemplate() {
    }

    /** The template, or null when the folder has none. */
    public static String find(Path folder) {
        Path jinja = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return Files.readString(jinja);
            } catch (IOException e) {
                throw new ModelFormatException(jinja, "cannot read: " + e.getMessage(), e);
            }
        }
        for (String name : new String[] {"chat_template.json", "tokenizer_config.json"}) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                Json j = Json.read(file);
                JsonNode t = j.node("chat_template");
                if (t != null) {
                    return template(t, j);
                }
            }
        }
        return null;
    }

    private static String template(JsonNode t, Json j) {
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            for (JsonNode named : t) {
                JsonNode name = named.get("name");
                JsonNode template = named.get("template");
                if (name != null && "default".equals(name.asText()) && template != null && template.isTextual()) {
                    return template.asText();
                }
            }
            throw j.error("chat_template lists named templates but none is called \"default\"");
        }
        throw j.error("chat_template must be a string or a list of {name, template}");
    }
}
