package dev.cascade.engine.text;

import dev.cascade.weights.text.Utf8;

import java.util.Arrays;

/**
 * Turns a stream of token bytes into text without ever emitting half a character: the bytes of a
 * character that has not arrived whole are held back until it does. Invalid bytes become U+FFFD
 * exactly as Hugging Face's decode makes them, so streamed text equals the decoded whole.
 */
public final class Utf8Stream {
    private byte[] pending = new byte[16];
    private int pendingLength;

    /** Adds bytes and returns the text now complete (possibly empty). */
    public String append(byte[] bytes) {
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + bytes.length, pending.length * 2));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        int complete = pendingLength - Utf8.incompleteTail(pending, pendingLength);
        String text = complete == 0 ? "" : Utf8.decode(pending, 0, complete);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    /** The text of whatever is still held back (an unfinished character decodes as U+FFFD). */
    public String flush() {
        String text = Utf8.decode(pending, 0, pendingLength);
        pendingLength = 0;
        return text;
    }

    public boolean hasPending() {
        return pendingLength > 0;
    }
}
