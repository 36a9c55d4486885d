package dev.cascade.server.openai;

import java.util.List;

/** A parsed /v1/completions body; each prompt gets {@code generation.n()} choices. */
public record CompletionRequest(String model, List<String> prompts, Generation generation) {

    public CompletionRequest {
        prompts = List.copyOf(prompts);
    }
}
