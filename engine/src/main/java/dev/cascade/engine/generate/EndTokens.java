package dev.cascade.engine.generate;

import dev.cascade.weights.Model;

import java.util.LinkedHashSet;
import java.util.Set;

/** The token ids that end a generated sequence. */
public final class EndTokens {
    private EndTokens() {
    }

    /**
     * Every end-of-sequence id the model's files name, and its BOS: a model that starts a new
     * document has finished the current one. (llama2.c's run.c stops on BOS; stories260K's GGUF
     * copy names only EOS, yet must stop where the .bin does.)
     */
    public static Set<Integer> of(Model model) {
        Set<Integer> ids = new LinkedHashSet<>(model.eosTokenIds());
        if (model.tokenizer() != null) {
            ids.addAll(model.tokenizer().specialTokens().eos());
        }
        if (model.bosTokenId() >= 0) {
            ids.add(model.bosTokenId());
        }
        return ids;
    }
}
