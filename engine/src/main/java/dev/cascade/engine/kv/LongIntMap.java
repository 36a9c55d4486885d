package dev.cascade.engine.kv;

/**
 * A map from long keys to non-negative int values, open addressing with linear probing: no boxing,
 * nothing allocated after construction. Sized for a fixed most entries (the KV blocks).
 */
final class LongIntMap {
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int size;

    LongIntMap(int maxEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1; // load factor at most 1/2
        keys = new long[capacity];
        values = new int[capacity];
        java.util.Arrays.fill(values, -1);
        mask = capacity - 1;
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The value for {@code key}, or -1. */
    int get(long key) {
        for (int i = slot(key); values[i] >= 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return -1;
    }

    void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values are >= 0");
        }
        int i = slot(key);
        for (; values[i] >= 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
        if (size + 1 > keys.length / 2) {
            throw new IllegalStateException("map full: " + size + " entries");
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}; the entries after it in its probe run move back so lookups need no tombstones. */
    void remove(long key) {
        int i = slot(key);
        for (; values[i] >= 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                break;
            }
        }
        if (values[i] < 0) {
            return;
        }
        values[i] = -1;
        size--;
        for (int j = (i + 1) & mask; values[j] >= 0; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // move j back to i when its home is not in the cyclic range (i, j]
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = -1;
                i = j;
            }
        }
    }
}
