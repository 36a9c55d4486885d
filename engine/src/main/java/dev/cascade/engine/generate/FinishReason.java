package dev.cascade.engine.generate;

/** Why a sequence ended, with the name OpenAI's API gives it. */
public enum FinishReason {
    /** An end-of-sequence token or a stop string. */
    STOP("stop"),
    /** max_tokens, or the context is full. */
    LENGTH("length"),
    /** Cancelled by the caller. */
    ABORT("abort");

    private final String apiName;

    FinishReason(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
