package dev.cascade.weights.tokenizer;

import java.util.Arrays;

/**
 * Min-heap of candidate merges ordered by (rank, position), the order Hugging Face's BPE pops
 * them; each entry also carries the merged token id to detect stale entries. Primitive arrays,
 * reused across words by one encode call.
 */
final class MergeQueue {
    private long[] keys = new long[64];
    private int[] mergedIds = new int[64];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(int rank, int position, int mergedId) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            mergedIds = Arrays.copyOf(mergedIds, size * 2);
        }
        long key = ((long) rank << 32) | position;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            mergedIds[i] = mergedIds[parent];
            i = parent;
        }
        keys[i] = key;
        mergedIds[i] = mergedId;
    }

    /** Position of the top entry. */
    int topPosition() {
        return (int) keys[0];
    }

    int topMergedId() {
        return mergedIds[0];
    }

    void pop() {
        long key = keys[--size];
        int id = mergedIds[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && keys[right] < keys[child]) {
                child = right;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            mergedIds[i] = mergedIds[child];
            i = child;
        }
        if (size > 0) {
            keys[i] = key;
            mergedIds[i] = id;
        }
    }
}
