package dev.cascade.engine.kv;

/**
 * The blocks one sequence holds, in order: token t lives in block {@code get(t / blockSize)}. With
 * a {@link PrefixCache}, also the chained hash of each full block, for the cache.
 */
public final class BlockTable {
    private final int[] blocks;
    private final long[] hashes;
    private int count;
    private int hashed;

    public BlockTable(int maxBlocks) {
        blocks = new int[maxBlocks];
        hashes = new long[maxBlocks];
    }

    public int count() {
        return count;
    }

    public int[] array() {
        return blocks;
    }

    public int get(int i) {
        return blocks[i];
    }

    /**
     * Grows the table to cover {@code tokens} tokens; false (and nothing taken) when the allocator
     * runs out or the table is full.
     */
    public boolean ensureCapacity(int tokens, int blockSize, BlockAllocator allocator) {
        int needed = (tokens + blockSize - 1) / blockSize;
        if (needed > blocks.length) {
            return false;
        }
        if (needed - count > allocator.free()) {
            return false;
        }
        while (count < needed) {
            blocks[count++] = allocator.allocate();
        }
        return true;
    }

    public void releaseAll(BlockAllocator allocator) {
        for (int i = 0; i < count; i++) {
            allocator.release(blocks[i]);
        }
        count = 0;
        hashed = 0;
    }

    /** How many leading blocks have their hash. */
    int hashedCount() {
        return hashed;
    }

    long hash(int i) {
        return hashes[i];
    }

    /** Block i's hash, set in order. */
    void setHash(int i, long h) {
        if (i != hashed) {
            throw new IllegalStateException("block " + i + " hashed before block " + hashed);
        }
        hashes[i] = h;
        hashed++;
    }

    /** Appends a block found in the prefix cache (its reference already taken), with its hash. */
    void appendCached(int block, long h) {
        if (count != hashed) {
            throw new IllegalStateException("a cached block after a block without its hash");
        }
        blocks[count++] = block;
        hashes[count - 1] = h;
        hashed++;
    }
}
