package dev.cascade.server.cli;

import dev.cascade.kernels.Backend;
import dev.cascade.weights.Model;

/** A model and the backend it runs on, closed together. */
record LoadedModel(Model model, Backend backend) implements AutoCloseable {
    @Override
    public void close() {
        backend.close();
        model.close();
    }
}
