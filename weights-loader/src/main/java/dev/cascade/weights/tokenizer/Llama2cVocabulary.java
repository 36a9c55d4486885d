package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contents of a llama2.c tokenizer file ({@code tokenizer.bin}, {@code tok512.bin}): a 32-bit
 * max piece length, then per token a float32 score, a 32-bit byte length and the UTF-8 piece, all
 * little-endian. The file does not store how many tokens it holds; the model header does.
 */
record Llama2cVocabulary(byte[][] pieces, float[] scores, int maxTokenLength) {

    static Llama2cVocabulary read(Path file, int vocabSize) {
        if (vocabSize <= 0) {
            throw new ModelFormatException(file, "vocabulary size must be positive, got " + vocabSize);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read tokenizer file: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 4) {
            throw new ModelFormatException(file, "truncated llama2.c tokenizer: " + bytes.length
                    + " bytes, too short for the max_token_length header");
        }
        int maxTokenLength = in.getInt();
        if (maxTokenLength < 0) {
            throw new ModelFormatException(file, "negative max_token_length " + maxTokenLength);
        }
        byte[][] pieces = new byte[vocabSize][];
        float[] scores = new float[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            if (in.remaining() < 8) {
                throw truncated(file, id, vocabSize, in.position());
            }
            scores[id] = in.getFloat();
            int length = in.getInt();
            if (length < 0) {
                throw new ModelFormatException(file, "token " + id + " has negative length " + length
                        + " at byte " + (in.position() - 4));
            }
            if (in.remaining() < length) {
                throw truncated(file, id, vocabSize, in.position());
            }
            pieces[id] = new byte[length];
            in.get(pieces[id]);
        }
        return new Llama2cVocabulary(pieces, scores, maxTokenLength);
    }

    private static ModelFormatException truncated(Path file, int id, int vocabSize, int offset) {
        return new ModelFormatException(file, "truncated llama2.c tokenizer: token " + id + " of "
                + vocabSize + " is cut off at byte " + offset
                + " (is the vocabulary size from the model header right?)");
    }
}
