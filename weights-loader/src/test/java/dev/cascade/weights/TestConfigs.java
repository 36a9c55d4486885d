package dev.cascade.weights;

/** Small configurations whose matrix rows are whole Q8_0/Q4_0 blocks. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** Llama with GQA (4 query heads of 16, 2 KV heads), untied or tied. */
    public static ModelConfig llama(boolean tied) {
        return new ModelConfig("llama", 64, 96, 2, 4, 2, 16, 40, 128, 1e-5f, 10000f, null, RopePairing.HALVES,
                false, tied, 0);
    }

    /** Qwen2: QKV biases, tied embeddings. */
    public static ModelConfig qwen2() {
        return new ModelConfig("qwen2", 64, 96, 2, 4, 2, 16, 40, 128, 1e-6f, 1000000f, null, RopePairing.HALVES,
                true, true, 0);
    }
}
