package dev.cascade.engine.kv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The block allocator's reference counts and the prefix cache's bookkeeping, without a model. */
class PrefixCacheTest {
    static final int BS = 4;

    static int[] tokens(int... t) {
        return t;
    }

    /** A sequence that computed {@code length} tokens into fresh blocks and registered its full ones. */
    static BlockTable computed(BlockAllocator a, int[] tokens, int length) {
        BlockTable t = new BlockTable(16);
        if (!t.ensureCapacity(length, BS, a)) {
            throw new IllegalStateException("no room");
        }
        a.prefixCache().registerFull(t, tokens, length);
        return t;
    }

    @Test
    void aLaterPromptTakesTheFullBlocksOfAnEarlierOneAndComputesTheRest() {
        BlockAllocator a = new BlockAllocator(8);
        PrefixCache c = a.enablePrefixCache(BS);
        int[] first = tokens(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        BlockTable t1 = computed(a, first, 10); // blocks of 1-4, 5-8 registered; 9-10 partial
        assertEquals(2, c.registeredBlocks());

        int[] second = tokens(1, 2, 3, 4, 5, 6, 7, 8, 42, 43, 44);
        BlockTable t2 = new BlockTable(16);
        assertEquals(8, c.match(second, second.length, t2));
        assertEquals(t1.get(0), t2.get(0));
        assertEquals(t1.get(1), t2.get(1));
        assertEquals(2, a.references(t1.get(0)), "shared by both sequences");

        int[] third = tokens(1, 2, 3, 4, 9, 9, 9, 9, 9);
        BlockTable t3 = new BlockTable(16);
        assertEquals(4, c.match(third, third.length, t3), "only the first block is the same");
        assertEquals(8 + 4, c.hitTokens());
        assertEquals(11 + 9, c.queriedTokens());
    }

    @Test
    void atLeastOneTokenIsLeftToCompute() {
        BlockAllocator a = new BlockAllocator(8);
        PrefixCache c = a.enablePrefixCache(BS);
        int[] p = tokens(1, 2, 3, 4, 5, 6, 7, 8);
        computed(a, p, 8);
        BlockTable t = new BlockTable(16);
        assertEquals(4, c.match(p, 8, t), "the whole prompt is cached, yet its last block is computed for the logits");
    }

    @Test
    void releasedBlocksStayCachedUntilTheAllocatorNeedsThemOldestFirst() {
        BlockAllocator a = new BlockAllocator(4);
        PrefixCache c = a.enablePrefixCache(BS);
        BlockTable t1 = computed(a, tokens(1, 1, 1, 1, 2, 2, 2, 2), 8);
        int first = t1.get(0);
        t1.releaseAll(a);
        assertEquals(4, a.free(), "cached blocks nobody holds count as free");
        assertEquals(2, a.cachedUnused());
        assertEquals(0, a.used());

        BlockTable t2 = computed(a, tokens(3, 3, 3, 3, 4, 4, 4, 4), 8); // takes the two plain free blocks
        t2.releaseAll(a);
        assertEquals(4, a.cachedUnused());
        int reused = a.allocate(); // no plain free block left: forgets the oldest cached one, 1-1-1-1's
        assertEquals(first, reused);
        assertEquals(3, a.cachedUnused());
        assertEquals(0, c.match(tokens(1, 1, 1, 1, 2, 2, 2, 2, 5), 9, new BlockTable(16)),
                "the first block is gone, and with it the chain after it");
        assertEquals(8, c.match(tokens(3, 3, 3, 3, 4, 4, 4, 4, 5), 9, new BlockTable(16)));
    }

    @Test
    void aBlockIsNotMatchedUnderAParentThatWasReplaced() {
        BlockAllocator a = new BlockAllocator(3);
        PrefixCache c = a.enablePrefixCache(BS);
        BlockTable t1 = computed(a, tokens(1, 1, 1, 1, 2, 2, 2, 2), 8);
        int parent = t1.get(0);
        a.release(parent);          // the sequence lets go of its first block only (as a test can)
        int plain = a.allocate();   // takes the plain free block
        assertEquals(parent, a.allocate(), "then forgets the parent");
        a.release(plain);
        a.release(parent);
        // 1-1-1-1 computed again, into a block that may well be the old parent's
        computed(a, tokens(1, 1, 1, 1, 9), 5);
        // the child is still registered under the old parent: the walk takes the new first block only
        assertEquals(4, c.match(tokens(1, 1, 1, 1, 2, 2, 2, 2, 3), 9, new BlockTable(16)));
    }

    @Test
    void theSameContentsComputedTwiceAreRegisteredOnce() {
        BlockAllocator a = new BlockAllocator(6);
        PrefixCache c = a.enablePrefixCache(BS);
        int[] p = tokens(7, 7, 7, 7, 8);
        BlockTable t1 = computed(a, p, 5);
        BlockTable t2 = computed(a, p, 5); // admitted in the same step, before t1's block was registered
        assertEquals(1, c.registeredBlocks());
        t2.releaseAll(a);
        assertEquals(0, a.cachedUnused(), "the duplicate block goes back as a plain free block");
        t1.releaseAll(a);
        assertEquals(1, a.cachedUnused());
    }

    @Test
    void releasingAnUnheldBlockIsAnError() {
        BlockAllocator a = new BlockAllocator(2);
        int b = a.allocate();
        a.release(b);
        assertThrows(IllegalStateException.class, () -> a.release(b));
    }

    @Test
    void theMapFindsAndForgetsKeysThroughCollisions() {
        LongIntMap m = new LongIntMap(100);
        for (int i = 0; i < 100; i++) {
            m.put(i * 1024L, i);
        }
        for (int i = 0; i < 100; i += 3) {
            m.remove(i * 1024L);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i % 3 == 0 ? -1 : i, m.get(i * 1024L), "key " + i);
        }
        assertEquals(66, m.size());
    }
}
