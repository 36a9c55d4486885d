package dev.cascade.engine.kv;

/**
 * Hands out the blocks of the paged KV cache. A stack of free block ids: taking and returning a
 * block is O(1) and allocates nothing.
 */
public final class BlockAllocator {
    private final int[] free;
    private int freeCount;

    public BlockAllocator(int blocks) {
        free = new int[blocks];
        for (int i = 0; i < blocks; i++) {
            free[i] = blocks - 1 - i; // block 0 is handed out first
        }
        freeCount = blocks;
    }

    public int total() {
        return free.length;
    }

    public int free() {
        return freeCount;
    }

    public int used() {
        return free.length - freeCount;
    }

    /** A free block, or -1 when none is left. */
    public int allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    public void release(int block) {
        if (block < 0 || block >= free.length || freeCount == free.length) {
            throw new IllegalStateException("block " + block + " was not allocated");
        }
        free[freeCount++] = block;
    }
}
