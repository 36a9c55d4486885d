package dev.cascade.weights.tokenizer;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Finds the token whose UTF-8 bytes equal a range of a byte buffer, without building a String or
 * a key object per lookup: the SentencePiece merge loop asks this for every candidate pair, so it
 * is the hot path of encoding. Open addressing over all pieces packed into one array.
 */
final class PieceIndex {
    private final byte[] packed;
    private final int[] offsets;
    /** token id + 1 per slot; 0 is an empty slot. */
    private final int[] slots;
    private final int mask;

    private PieceIndex(byte[] packed, int[] offsets, int[] slots) {
        this.packed = packed;
        this.offsets = offsets;
        this.slots = slots;
        this.mask = slots.length - 1;
    }

    /**
     * Indexes the pieces whose ids pass {@code include}; empty pieces are never found. When two
     * ids share the same bytes the higher id wins, as in llama.cpp's token_to_id map.
     */
    static PieceIndex of(byte[][] pieces, IntPredicate include) {
        int[] offsets = new int[pieces.length + 1];
        long total = 0;
        for (int id = 0; id < pieces.length; id++) {
            total += pieces[id].length;
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("vocabulary pieces exceed 2 GiB in total");
            }
            offsets[id + 1] = (int) total;
        }
        byte[] packed = new byte[(int) total];
        for (int id = 0; id < pieces.length; id++) {
            System.arraycopy(pieces[id], 0, packed, offsets[id], pieces[id].length);
        }
        int capacity = Integer.highestOneBit(Math.max(16, pieces.length * 2 + 1)) << 1;
        PieceIndex index = new PieceIndex(packed, offsets, new int[capacity]);
        for (int id = 0; id < pieces.length; id++) {
            if (pieces[id].length > 0 && include.test(id)) {
                index.put(id);
            }
        }
        return index;
    }

    private void put(int id) {
        int from = offsets[id];
        int length = offsets[id + 1] - from;
        int slot = hash(packed, from, length) & mask;
        while (slots[slot] != 0) {
            if (sameBytes(slots[slot] - 1, packed, from, length)) {
                break; // later id replaces the earlier duplicate
            }
            slot = (slot + 1) & mask;
        }
        slots[slot] = id + 1;
    }

    /** The id of the piece equal to {@code text[from, from + length)}, or -1. */
    int find(byte[] text, int from, int length) {
        int slot = hash(text, from, length) & mask;
        int entry;
        while ((entry = slots[slot]) != 0) {
            if (sameBytes(entry - 1, text, from, length)) {
                return entry - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private boolean sameBytes(int id, byte[] text, int from, int length) {
        int start = offsets[id];
        return offsets[id + 1] - start == length
                && Arrays.equals(packed, start, start + length, text, from, from + length);
    }

    private static int hash(byte[] text, int from, int length) {
        int h = length * 0x9E3779B9;
        for (int i = from, end = from + length; i < end; i++) {
            h = (h ^ text[i]) * 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
