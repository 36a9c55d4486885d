package dev.cascade.weights;

/**
 * Which elements of a head RoPE rotates together. The same model can be stored either way: the
 * GGUF and llama2.c converters permute the rows of Q and K so that pairs become adjacent.
 */
public enum RopePairing {
    /** Pairs (i, i + d/2): Hugging Face checkpoints ("rotate_half"). */
    HALVES,
    /** Pairs (2i, 2i + 1): GGUF and llama2.c weights. */
    INTERLEAVED
}
