package dev.cascade.weights.tokenizer;

/**
 * Text to token ids and back. Implementations are immutable and safe to share between threads.
 */
public interface Tokenizer {

    /**
     * Encodes text as Hugging Face's {@code tokenizer.encode(text, add_special_tokens=addSpecial)}
     * does: added/special tokens written in the text are recognised, and BOS/EOS are added only
     * when {@code addSpecial} is set and the tokenizer's configuration asks for them.
     */
    default int[] encode(String text, boolean addSpecial) {
        return encode(text, addSpecial, true);
    }

    /** As {@link #encode(String, boolean)}; with {@code parseSpecial} off, special-token text is plain text. */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The text of these ids, as Hugging Face's {@code decode} (skipping special tokens when asked). */
    String decode(int[] ids, boolean skipSpecial);

    /**
     * The bytes token {@code id} contributes when it follows {@code previous} (-1 at the start), for
     * incremental detokenization: concatenating these for a sequence gives the UTF-8 of
     * {@link #decode(int[], boolean) decode(ids, false)}. Byte-fallback tokens give their single
     * byte, which may be part of a multi-byte character.
     */
    byte[] tokenBytes(int previous, int id);

    int vocabSize();

    /** The token's string as stored in the vocabulary (with ▁ or Ġ markers), or null when out of range. */
    String tokenText(int id);

    /** The id of a token string in the vocabulary, or -1. */
    int tokenId(String token);

    SpecialTokens specialTokens();
}
