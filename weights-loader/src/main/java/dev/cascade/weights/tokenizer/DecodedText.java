package dev.cascade.weights.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Assembles decoded tokens into text the way Hugging Face's ByteFallback decoder does: a run of
 * consecutive byte tokens is read as UTF-8 as a whole, and when the run is not valid UTF-8 every
 * one of its bytes becomes U+FFFD. Text pieces are appended as they are.
 */
final class DecodedText {
    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private byte[] out = new byte[64];
    private int size;
    private int runStart = -1;

    /** Appends the UTF-8 of a text piece, skipping its first {@code skip} bytes. */
    void appendText(byte[] utf8, int skip) {
        closeByteRun();
        append(utf8, skip, utf8.length - skip);
    }

    /** Appends one byte-fallback token's byte. */
    void appendByte(byte b) {
        if (runStart < 0) {
            runStart = size;
        }
        ensureRoom(1);
        out[size++] = b;
    }

    /** The text; {@code stripLeadingSpace} removes one space at the very start (SentencePiece's dummy prefix). */
    String toString(boolean stripLeadingSpace) {
        closeByteRun();
        int from = stripLeadingSpace && size > 0 && out[0] == ' ' ? 1 : 0;
        return new String(out, from, size - from, StandardCharsets.UTF_8);
    }

    private void closeByteRun() {
        if (runStart < 0) {
            return;
        }
        int start = runStart;
        runStart = -1;
        if (!isValidUtf8(out, start, size - start)) {
            int bytes = size - start;
            size = start;
            for (int i = 0; i < bytes; i++) {
                append(REPLACEMENT, 0, REPLACEMENT.length);
            }
        }
    }

    private void append(byte[] bytes, int from, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, from, out, size, length);
        size += length;
    }

    private void ensureRoom(int length) {
        if (size + length > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + length));
        }
    }

    private static boolean isValidUtf8(byte[] bytes, int from, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
