package dev.cascade.weights.tokenizer;

/**
 * SentencePiece BPE: repeatedly merges the adjacent pair of symbols whose concatenation is a
 * vocabulary piece with the highest score, the leftmost pair winning ties, until no adjacent pair
 * forms a piece. Symbols are contiguous byte ranges of one buffer, kept in a linked list; candidate
 * merges wait in a priority queue and are dropped when a neighbour changed since they were queued.
 * This gives the same result as rescanning all pairs after every merge (llama2.c's run.c), in
 * O(n log n) instead of O(n²).
 */
final class ScoredPairMerger {
    private final PieceIndex mergeable;
    private final float[] scores;

    /** {@code mergeable} finds the pieces a merge may produce; {@code scores} is indexed by token id. */
    ScoredPairMerger(PieceIndex mergeable, float[] scores) {
        this.mergeable = mergeable;
        this.scores = scores;
    }

    /** Scratch arrays for merging up to a given number of symbols, reused across ranges of one text. */
    static final class Work {
        final int[] length;
        final int[] next;
        final int[] prev;
        final BigramQueue queue;

        Work(int symbols) {
            length = new int[symbols];
            next = new int[symbols];
            prev = new int[symbols];
            queue = new BigramQueue(Math.min(symbols, 1 << 16) * 2);
        }
    }

    /**
     * Merges all symbols of a text in place. On entry symbol i is {@code text[starts[i], starts[i + 1])}
     * (the last ends at {@code end}) with token {@code ids[i]} (-1 when it is no piece). On return
     * the first n entries of both arrays describe the merged symbols the same way; n is returned.
     */
    int merge(byte[] text, int[] starts, int[] ids, int count, int end) {
        return count < 2 ? count : mergeRange(text, starts, ids, 0, count, end, new Work(count));
    }

    /**
     * As {@link #merge} for symbols {@code [first, last)} alone, the last ending at {@code end}; the
     * merged symbols are written from {@code first} on and their count returned. Merging a range on
     * its own is exact when no piece can span its borders.
     */
    int mergeRange(byte[] text, int[] starts, int[] ids, int first, int last, int end, Work work) {
        if (last - first < 2) {
            return last - first;
        }
        int[] length = work.length;
        int[] next = work.next;
        int[] prev = work.prev;
        BigramQueue queue = work.queue;
        for (int i = first; i < last; i++) {
            length[i] = (i + 1 < last ? starts[i + 1] : end) - starts[i];
            next[i] = i + 1 < last ? i + 1 : -1;
            prev[i] = i > first ? i - 1 : -1;
        }
        for (int i = first; i + 1 < last; i++) {
            offer(queue, text, starts, length, i, i + 1);
        }
        while (!queue.isEmpty()) {
            int left = queue.topLeft();
            int size = queue.topSize();
            queue.pop();
            int right = next[left];
            // stale: left was merged away, or either side grew since the pair was queued
            if (length[left] == 0 || right < 0 || length[left] + length[right] != size) {
                continue;
            }
            ids[left] = mergeable.find(text, starts[left], size);
            length[left] = size;
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(queue, text, starts, length, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(queue, text, starts, length, left, next[left]);
            }
        }
        int n = first;
        for (int i = first; i >= 0; i = next[i]) {
            starts[n] = starts[i];
            ids[n] = ids[i];
            n++;
        }
        return n - first;
    }

    private void offer(BigramQueue queue, byte[] text, int[] starts, int[] length, int left, int right) {
        int size = length[left] + length[right];
        int id = mergeable.find(text, starts[left], size);
        if (id >= 0) {
            queue.push(scores[id], left, size);
        }
    }
}
