package dev.cascade.engine.kv;

/**
 * Hands out the blocks of the paged KV cache. Blocks are reference-counted, so a block of cached
 * prefix can belong to several sequences. A block nobody holds is free; when the
 * {@link PrefixCache} keeps its contents, it waits in least-recently-released order and is
 * reused (its contents forgotten) only when no plain free block is left. Everything is O(1) and
 * allocates nothing.
 */
public final class BlockAllocator {
    private final int[] free;
    private int freeCount;
    private final int[] references;
    /** Unheld blocks whose contents the prefix cache keeps: a list oldest first, by block id. */
    private final int[] previous;
    private final int[] next;
    private int oldest = -1;
    private int newest = -1;
    private int keptCount;
    private PrefixCache cache;

    public BlockAllocator(int blocks) {
        free = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            free[i] = blocks - 1 - i; // block 0 is handed out first
        }
        freeCount = blocks;
        references = new int[blocks];
        previous = new int[blocks];
        next = new int[blocks];
    }

    /** Keeps the contents of full blocks for later sequences with the same prefix (see {@link PrefixCache}). */
    public PrefixCache enablePrefixCache(int blockSize) {
        if (cache == null) {
            cache = new PrefixCache(this, free.length, blockSize);
        }
        return cache;
    }

    /** The prefix cache, or null when it is off. */
    public PrefixCache prefixCache() {
        return cache;
    }

    public int total() {
        return free.length;
    }

    /** Blocks a sequence can take: the plain free ones and the cached ones nobody holds. */
    public int free() {
        return freeCount + keptCount;
    }

    /** Blocks held by sequences. */
    public int used() {
        return free.length - free();
    }

    /** Unheld blocks whose contents are kept for the prefix cache (counted in {@link #free}). */
    public int cachedUnused() {
        return keptCount;
    }

    /** A block with one reference, or -1 when none is left; may forget the oldest cached block. */
    public int allocate() {
        int block;
        if (freeCount > 0) {
            block = free[--freeCount];
        } else if (keptCount > 0) {
            block = oldest;
            unlink(block);
            cache.forget(block);
        } else {
            return -1;
        }
        references[block] = 1;
        return block;
    }

    /** One more reference to a block: a sequence takes a cached block into its table. */
    void retain(int block) {
        if (references[block]++ == 0) {
            unlink(block); // it was waiting among the cached unused blocks
        }
    }

    public void release(int block) {
        if (block < 0 || block >= free.length || references[block] <= 0) {
            throw new IllegalStateException("block " + block + " was not allocated");
        }
        if (--references[block] > 0) {
            return;
        }
        if (cache != null && cache.keeps(block)) {
            link(block);
        } else {
            free[freeCount++] = block;
        }
    }

    /** References held to a block (0: free or cached unused). */
    public int references(int block) {
        return references[block];
    }

    private void link(int block) {
        previous[block] = newest;
        next[block] = -1;
        if (newest >= 0) {
            next[newest] = block;
        } else {
            oldest = block;
        }
        newest = block;
        keptCount++;
    }

    private void unlink(int block) {
        int p = previous[block];
        int n = next[block];
        if (p >= 0) {
            next[p] = n;
        } else {
            oldest = n;
        }
        if (n >= 0) {
            previous[n] = p;
        } else {
            newest = p;
        }
        keptCount--;
    }
}
