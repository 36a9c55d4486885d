package dev.cascade.engine.kv;

import java.util.Arrays;

/**
 * Automatic prefix caching, as vLLM does it: a full block's keys and values depend only on the
 * tokens up to its end, so once computed they can serve any later sequence that starts with the
 * same tokens. Each full block is registered under a hash of its tokens chained with its parent's;
 * a new sequence walks its prompt a block at a time, takes every block found (one more
 * reference), and starts computing after the last one. At least one token is always left to
 * compute, for its logits. Unheld registered blocks stay until the allocator needs them.
 *
 * <p>A hash match is checked exactly: the block's tokens, and its parent being the very block the
 * walk matched just before (by id and by a version bumped whenever a block is forgotten), so two
 * prefixes that collide in the hash never share a block. Hit counts are kept for the metrics.
 */
public final class PrefixCache {
    private static final long SEED = 0xcbf29ce484222325L;

    private final BlockAllocator allocator;
    private final int blockSize;
    private final LongIntMap byHash;
    private final boolean[] registered;
    private final long[] hashOf;
    private final int[] tokensOf;
    private final int[] parentOf;
    private final int[] parentVersion;
    private final int[] version;
    private long queriedTokens;
    private long hitTokens;

    PrefixCache(BlockAllocator allocator, int blocks, int blockSize) {
        this.allocator = allocator;
        this.blockSize = blockSize;
        this.byHash = new LongIntMap(blocks);
        this.registered = new boolean[blocks];
        this.hashOf = new long[blocks];
        this.tokensOf = new int[blocks * blockSize];
        this.parentOf = new int[blocks];
        this.parentVersion = new int[blocks];
        this.version = new int[blocks];
    }

    /** Prompt tokens looked up since the start, and how many of them were found in the cache. */
    public long queriedTokens() {
        return queriedTokens;
    }

    public long hitTokens() {
        return hitTokens;
    }

    /** How many blocks are registered (held or not). */
    public int registeredBlocks() {
        return byHash.size();
    }

    static long hash(long parent, int[] tokens, int from, int count) {
        long h = parent;
        for (int i = from; i < from + count; i++) {
            h = (h ^ tokens[i]) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        return h * 0xbf58476d1ce4e5b9L ^ (h >>> 31);
    }

    /**
     * Fills an empty {@code table} with the cached blocks that begin {@code tokens[0..length)}, each
     * with one more reference, and returns how many tokens they cover (a multiple of the block size,
     * less than {@code length}).
     */
    public int match(int[] tokens, int length, BlockTable table) {
        if (table.count() != 0) {
            throw new IllegalStateException("prefix lookup into a table that already holds " + table.count() + " blocks");
        }
        queriedTokens += length;
        int limit = (length - 1) / blockSize;
        long parentHash = SEED;
        int parent = -1;
        int i = 0;
        for (; i < limit; i++) {
            long h = hash(parentHash, tokens, i * blockSize, blockSize);
            int b = byHash.get(h);
            if (b < 0 || !matches(b, tokens, i * blockSize, parent)) {
                break;
            }
            allocator.retain(b);
            table.appendCached(b, h);
            parentHash = h;
            parent = b;
        }
        hitTokens += (long) i * blockSize;
        return i * blockSize;
    }

    private boolean matches(int b, int[] tokens, int from, int parent) {
        if (!registered[b] || parentOf[b] != parent || (parent >= 0 && parentVersion[b] != version[parent])) {
            return false;
        }
        return Arrays.equals(tokensOf, b * blockSize, (b + 1) * blockSize, tokens, from, from + blockSize);
    }

    /**
     * Registers the table's blocks that {@code cached} tokens now fill, up to the first not yet
     * hashed: call after the step that computed them. A block whose contents another block already
     * holds stays private to its sequence.
     */
    public void registerFull(BlockTable table, int[] tokens, int cached) {
        int full = Math.min(cached / blockSize, table.count());
        for (int i = table.hashedCount(); i < full; i++) {
            long parentHash = i == 0 ? SEED : table.hash(i - 1);
            long h = hash(parentHash, tokens, i * blockSize, blockSize);
            table.setHash(i, h);
            int b = table.get(i);
            if (registered[b] || byHash.get(h) >= 0) {
                continue;
            }
            byHash.put(h, b);
            registered[b] = true;
            hashOf[b] = h;
            System.arraycopy(tokens, i * blockSize, tokensOf, b * blockSize, blockSize);
            int parent = i == 0 ? -1 : table.get(i - 1);
            parentOf[b] = parent;
            parentVersion[b] = parent >= 0 ? version[parent] : 0;
        }
    }

    boolean keeps(int block) {
        return registered[block];
    }

    /** The allocator reuses {@code block}: its contents are gone. */
    void forget(int block) {
        if (registered[block]) {
            byHash.remove(hashOf[block]);
            registered[block] = false;
        }
        version[block]++;
    }
}
