package dev.cascade.server.openai;

/** Token counts of a response; for batched prompts and n > 1, summed over all of them. */
public record Usage(int promptTokens, int completionTokens) {

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
