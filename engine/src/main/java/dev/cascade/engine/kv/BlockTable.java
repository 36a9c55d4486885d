package dev.cascade.engine.kv;

/** The blocks one sequence holds, in order: token t lives in block {@code get(t / blockSize)}. */
public final class BlockTable {
    private final int[] blocks;
    private int count;

    public BlockTable(int maxBlocks) {
        blocks = new int[maxBlocks];
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
    }
}
