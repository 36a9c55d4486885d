package dev.cascade.server.openai;

/**
 * Legacy completions options the engine does not implement. Their defaults are accepted so that clients
 * that always send them work; anything else is a 400, since quietly ignoring echo or best_of would
 * return something other than what was asked for.
 */
final class CompletionOnlyFields {
    static final int MAX_LOGPROBS = 5;

    private CompletionOnlyFields() {
    }

    /** logprobs: how many alternatives per token, 0 for the chosen token's logprob alone. */
    static LogprobsMode logprobs(Fields f) {
        Integer top = f.integer("logprobs", 0, MAX_LOGPROBS);
        return top == null ? LogprobsMode.NONE : LogprobsMode.of(top);
    }

    static void rejectUnsupported(Fields f, int n) {
        if (f.bool("echo", false)) {
            throw unsupported("echo", "echo is not supported");
        }
        String suffix = f.string("suffix");
        if (suffix != null && !suffix.isEmpty()) {
            throw unsupported("suffix", "suffix is not supported");
        }
        Integer bestOf = f.integer("best_of", 1, Integer.MAX_VALUE);
        // best_of == n asks for nothing beyond the n choices themselves
        if (bestOf != null && bestOf != 1 && bestOf != n) {
            throw unsupported("best_of", "best_of is not supported (only 1 or equal to n), got " + bestOf);
        }
    }

    private static ApiException unsupported(String param, String message) {
        return ApiException.badRequest(param, message);
    }
}
