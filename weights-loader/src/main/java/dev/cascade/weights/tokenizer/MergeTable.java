package dev.cascade.weights.tokenizer;

import java.util.Arrays;

/**
 * BPE merge rules by token-id pair: (left, right) gives the rule's rank (its line in the merges
 * list; lower applies first) and the id of the merged token. Open addressing on primitive longs,
 * since the merge loop looks pairs up millions of times per second.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /** Adds or replaces a rule; a later duplicate wins, as when Hugging Face collects merges into a map. */
    void put(int left, int right, int rank, int mergedId) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY && keys[i] != k) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            if (++size * 2 > keys.length) {
                throw new IllegalStateException("merge table over capacity");
            }
            keys[i] = k;
        }
        values[i] = ((long) rank << 32) | (mergedId & 0xFFFFFFFFL);
    }

    /** rank << 32 | mergedId, or -1 when the pair has no rule. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (true) {
            long stored = keys[i];
            if (stored == k) {
                return values[i];
            }
            if (stored == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }
}
