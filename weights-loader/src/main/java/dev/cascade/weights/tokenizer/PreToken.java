package dev.cascade.weights.tokenizer;

/**
 * A piece of normalized text on its way to the model. {@code atInputStart} says whether it begins
 * at offset 0 of the caller's text, which Metaspace's prepend_scheme "first" needs.
 */
record PreToken(String text, boolean atInputStart) {
}
