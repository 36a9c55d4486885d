package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.weights.tokenizer.Tokenizer;

/**
 * A cascade stage as the offline commands (eval, calibrate) run it: greedy generation from a prompt
 * text, on a model loaded here ({@link #local}) or on another server (a remote stage, in the
 * server module).
 */
public interface EvalStage {

    /**
     * Starts generating greedily for the prompt, at most {@code maxTokens} tokens; the listener hears
     * the tokens (with their log-probabilities) and the end, or an error, possibly on another thread.
     * Returns what cancels it.
     */
    Runnable start(String prompt, int maxTokens, SequenceListener listener);

    /** The stage's tokenizer when it runs here, null for a remote stage (whose tokens are counted there). */
    default Tokenizer tokenizer() {
        return null;
    }

    /** A model loaded here: the prompt is encoded with its tokenizer (with BOS) and submitted to its loop. */
    static EvalStage local(ServingLoop loop, Tokenizer tokenizer) {
        return new EvalStage() {
            @Override
            public Runnable start(String prompt, int maxTokens, SequenceListener listener) {
                GenerationRequest request = GenerationRequest.greedy(tokenizer.encode(prompt, true), maxTokens);
                try {
                    return loop.submit(0, request, listener)::cancel;
                } catch (RuntimeException e) { // a full queue, a prompt the model cannot take, a closed loop
                    listener.onError(e);
                    return () -> { };
                }
            }

            @Override
            public Tokenizer tokenizer() {
                return tokenizer;
            }
        };
    }

    /**
     * The prompt's length in tokens as routing rules count it: by the first stage that has a
     * tokenizer (the first local one, as serving does), or, when every stage is remote, by its
     * length in characters over 4.
     */
    static int promptTokens(java.util.List<? extends EvalStage> stages, String prompt) {
        for (EvalStage s : stages) {
            if (s.tokenizer() != null) {
                return s.tokenizer().encode(prompt, true).length;
            }
        }
        return approximateTokens(prompt);
    }

    /** About 4 characters a token: the count routing rules use for a cascade without a local stage. */
    static int approximateTokens(String prompt) {
        return prompt.length() / 4;
    }
}
