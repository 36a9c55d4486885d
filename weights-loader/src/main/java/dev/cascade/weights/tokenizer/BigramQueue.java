package dev.cascade.weights.tokenizer;

import java.util.Arrays;

/**
 * Max-priority queue of candidate merges for {@link ScoredPairMerger}: highest score first, and
 * among equal scores the leftmost pair, which is the order SentencePiece, llama.cpp and run.c use.
 * Score and position are packed into one long so the heap holds primitives only.
 */
final class BigramQueue {
    private long[] keys;
    private int[] sizes;
    private int count;

    BigramQueue(int expected) {
        keys = new long[Math.max(8, expected)];
        sizes = new int[keys.length];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Adds the merge of the symbol at {@code left} with its right neighbour, {@code size} bytes in all. */
    void push(float score, int left, int size) {
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
        }
        long key = key(score, left);
        int i = count++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] >= key) {
                break;
            }
            keys[i] = keys[parent];
            sizes[i] = sizes[parent];
            i = parent;
        }
        keys[i] = key;
        sizes[i] = size;
    }

    /** The left symbol index of the best merge. */
    int topLeft() {
        return ~(int) keys[0];
    }

    /** The byte size the best merge had when it was queued (to detect stale entries). */
    int topSize() {
        return sizes[0];
    }

    void pop() {
        long key = keys[--count];
        int size = sizes[count];
        int i = 0;
        int half = count >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < count && keys[child + 1] > keys[child]) {
                child++;
            }
            if (key >= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            sizes[i] = sizes[child];
            i = child;
        }
        keys[i] = key;
        sizes[i] = size;
    }

    /**
     * Orders by score (float bits mapped to an int with the same order), then by smaller left
     * index: the low half holds ~left, so a smaller index compares larger.
     */
    private static long key(float score, int left) {
        int bits = Float.floatToRawIntBits(score + 0.0f); // -0.0 ties with 0.0, as C's == does
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ordered << 32) | (~left & 0xFFFFFFFFL);
    }
}
