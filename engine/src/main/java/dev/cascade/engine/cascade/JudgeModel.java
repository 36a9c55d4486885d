package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.weights.tokenizer.Tokenizer;

/** A model served here that a judge scorer asks: its name, the loop that runs it, its tokenizer. */
public record JudgeModel(String name, ServingLoop loop, Tokenizer tokenizer) {
}
