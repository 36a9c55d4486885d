package dev.cascade.weights.tokenizer;

/**
 * A token matched in the text before the model runs (tokenizer.json "added_tokens").
 * {@code special} ones are skipped by decode(skipSpecial) and are plain text when special parsing
 * is off; {@code lstrip}/{@code rstrip} swallow whitespace beside the match; {@code singleWord}
 * only matches between non-word chars; {@code normalized} ones are matched in normalized text.
 */
record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip,
                  boolean singleWord, boolean normalized) {
}
