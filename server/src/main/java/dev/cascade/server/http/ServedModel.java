package dev.cascade.server.http;

import dev.cascade.engine.generate.ChatPrompt;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.weights.Model;
import dev.cascade.weights.tokenizer.Tokenizer;

/**
 * A model this server answers for: its name in the API, the weights, and the loop that schedules
 * its requests. {@code chat} is null for a model without a chat template (chat requests get a 400).
 */
public record ServedModel(String name, Model model, ServingLoop loop, ChatPrompt chat, long created,
                          AutoCloseable resources) implements AutoCloseable {

    /** Stops the loop, then frees the backend and the weights. */
    @Override
    public void close() {
        loop.close();
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + ": " + e.getMessage(), e);
        }
    }

    public Tokenizer tokenizer() {
        return model.tokenizer();
    }

    public int contextLength() {
        return loop.scheduler().contextLength();
    }
}
