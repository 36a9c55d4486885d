package dev.cascade.engine.model;

import dev.cascade.kernels.Weight;

/** One transformer block's weights as a backend holds them; the biases are null where absent. */
record LayerWeights(Weight attnNorm, Weight wq, Weight wk, Weight wv, Weight bq, Weight bk, Weight bv,
                    Weight wo, Weight ffnNorm, Weight gate, Weight up, Weight down) {
}
