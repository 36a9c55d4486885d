package dev.cascade.weights.tokenizer;

import java.util.List;

/**
 * Special token ids and whether encode adds them. -1 marks an id the vocabulary does not have.
 * {@code eos} lists every id that ends generation (config, generation_config.json and GGUF may
 * name several).
 */
public record SpecialTokens(int bos, List<Integer> eos, int unk, int pad, boolean addBos, boolean addEos) {

    public SpecialTokens {
        eos = List.copyOf(eos);
    }

    public int firstEos() {
        return eos.isEmpty() ? -1 : eos.getFirst();
    }
}
