package dev.cascade.weights;

/**
 * The hyper-parameters of one Llama-family transformer, whatever file it came from.
 *
 * @param architecture  the family: "llama", "mistral" or "qwen2"
 * @param dim           model width (hidden_size)
 * @param hiddenDim     FFN inner width (intermediate_size)
 * @param layers        number of transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (GQA when fewer than heads)
 * @param headDim       width of one head (usually dim / heads)
 * @param vocabSize     rows of the embedding table
 * @param contextLength the longest context the model was trained for
 * @param normEps       RMSNorm epsilon, inside the square root
 * @param ropeTheta     RoPE base frequency
 * @param ropeScaling   Llama 3 style frequency scaling, or null
 * @param ropePairing   which elements the stored Q/K weights expect RoPE to rotate together
 * @param attentionBias Q, K and V projections have biases (Qwen2)
 * @param tiedEmbeddings the LM head is the embedding table
 * @param slidingWindow attention window in tokens (Mistral), or 0 for none
 */
public record ModelConfig(
        String architecture,
        int dim,
        int hiddenDim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int vocabSize,
        int contextLength,
        float normEps,
        float ropeTheta,
        RopeScaling ropeScaling,
        RopePairing ropePairing,
        boolean attentionBias,
        boolean tiedEmbeddings,
        int slidingWindow) {

    public ModelConfig {
        require(dim > 0, "dim must be positive, got " + dim);
        require(hiddenDim > 0, "hidden_dim must be positive, got " + hiddenDim);
        require(layers > 0, "layers must be positive, got " + layers);
        require(heads > 0, "heads must be positive, got " + heads);
        require(kvHeads > 0 && heads % kvHeads == 0,
                "kv_heads must divide heads, got " + kvHeads + " for " + heads + " heads");
        require(headDim > 0 && headDim % 2 == 0, "head_dim must be positive and even, got " + headDim);
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(contextLength > 0, "context_length must be positive, got " + contextLength);
    }

    /** Width of all K (or V) heads of one token. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Width of all query heads of one token. */
    public int qDim() {
        return heads * headDim;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ModelFormatException("invalid model configuration: " + message);
        }
    }

    /** Llama 3.1's frequency scaling ("rope_type": "llama3"). */
    public record RopeScaling(String type, float factor, float lowFreqFactor, float highFreqFactor,
                              int originalContextLength) {
    }
}
