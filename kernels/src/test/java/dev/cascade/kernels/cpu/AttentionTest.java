package dev.cascade.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.weights.DType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AttentionTest {
    /** Float32 dot products and weighted sums over up to ~100 tokens. */
    static final double TOLERANCE = 1e-5;
    static final WorkerPool POOL = new WorkerPool(3);

    @AfterAll
    static void close() {
        POOL.close();
    }

    /** Two sequences with scattered blocks; sequence 0 prefills a chunk of 3 rows, sequence 1 decodes. */
    @Test
    void pagedGqaMatchesReference() {
        Random rnd = new Random(10);
        for (int headDim : new int[] {8, 36, 64}) {
            int heads = 6, kvHeads = 2, blockSize = 4, blocks = 40;
            PagedKvLayout layout = new PagedKvLayout(blockSize, kvHeads, headDim);
            float[] k = TestData.gaussian(rnd, blocks * blockSize * kvHeads * headDim, 1f);
            float[] v = TestData.gaussian(rnd, k.length, 1f);
            int[][] tables = {{7, 3, 22, 9, 1, 30, 12, 5}, {2, 39, 11, 4, 25, 0, 18, 6, 33, 13, 8, 20}};
            int[] rowSeq = {0, 0, 0, 1};
            int[] rowLen = {29, 30, 31, 45};
            int rows = rowSeq.length;
            float[] q = TestData.gaussian(rnd, rows * heads * headDim, 1f);
            MemorySegment out = TestData.floats(rows * heads * headDim);
            new PagedAttention(POOL).attend(TestData.segment(q), out, rows, heads, layout,
                    TestData.segment(k), TestData.segment(v), tables, rowSeq, rowLen);
            float[] ref = ScalarReference.attention(q, rows, heads, kvHeads, headDim, blockSize, k, v, tables, rowSeq, rowLen);
            double err = TestData.relativeError(TestData.toArray(out, ref.length), ref);
            assertTrue(err < TOLERANCE, "headDim " + headDim + ": " + err);
        }
    }

    /** A row's attention output is bit-identical alone, in a batch, and with any thread count. */
    @Test
    void batchAndThreadInvariant() {
        Random rnd = new Random(12);
        int heads = 4, kvHeads = 1, headDim = 36, blockSize = 16;
        PagedKvLayout layout = new PagedKvLayout(blockSize, kvHeads, headDim);
        float[] k = TestData.gaussian(rnd, 8 * blockSize * kvHeads * headDim, 1f);
        MemorySegment kPool = TestData.segment(k);
        MemorySegment vPool = TestData.segment(TestData.gaussian(rnd, k.length, 1f));
        int[][] tables = {{3, 1, 6}, {0, 7, 2, 5, 4}};
        int[] rowSeq = {0, 1, 0, 1, 1, 0, 1, 0};
        int[] rowLen = {40, 70, 41, 3, 80, 1, 17, 33};
        float[] q = TestData.gaussian(rnd, 8 * heads * headDim, 1f);
        int rowFloats = heads * headDim;
        MemorySegment batched = TestData.floats(8 * rowFloats);
        new PagedAttention(POOL).attend(TestData.segment(q), batched, 8, heads, layout, kPool, vPool, tables, rowSeq, rowLen);
        float[] all = TestData.toArray(batched, 8 * rowFloats);
        for (int threads : new int[] {1, 2}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                PagedAttention attention = new PagedAttention(pool);
                for (int r = 0; r < 8; r++) {
                    float[] qr = new float[rowFloats];
                    System.arraycopy(q, r * rowFloats, qr, 0, rowFloats);
                    MemorySegment single = TestData.floats(rowFloats);
                    attention.attend(TestData.segment(qr), single, 1, heads, layout, kPool, vPool, tables,
                            new int[] {rowSeq[r]}, new int[] {rowLen[r]});
                    float[] expected = new float[rowFloats];
                    System.arraycopy(all, r * rowFloats, expected, 0, rowFloats);
                    assertArrayEquals(expected, TestData.toArray(single, rowFloats), 0f, "row " + r + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void kvWriteStoresRowsAtTheirSlots() {
        Random rnd = new Random(13);
        PagedKvLayout layout = new PagedKvLayout(4, 2, 8);
        int rows = 3, tokenFloats = layout.tokenFloats();
        float[] k = TestData.gaussian(rnd, rows * tokenFloats, 1f);
        float[] v = TestData.gaussian(rnd, rows * tokenFloats, 1f);
        MemorySegment kPool = TestData.floats(5 * 4 * tokenFloats);
        MemorySegment vPool = TestData.floats(5 * 4 * tokenFloats);
        int[] slots = {4 * 3 + 1, 4 * 0 + 3, 4 * 4 + 0};
        KvCacheWriter.write(TestData.segment(k), TestData.segment(v), rows, slots, layout, kPool, vPool);
        float[] kp = TestData.toArray(kPool, 5 * 4 * tokenFloats);
        float[] vp = TestData.toArray(vPool, 5 * 4 * tokenFloats);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < tokenFloats; i++) {
                assertTrue(kp[slots[r] * tokenFloats + i] == k[r * tokenFloats + i]);
                assertTrue(vp[slots[r] * tokenFloats + i] == v[r * tokenFloats + i]);
            }
        }
        // and attention reads them back through a block table: token 1 of table {3} is slot 13
        assertTrue(layout.offset(new int[] {3}, 1, 0) == 4L * slots[0] * tokenFloats);
    }

    @Test
    void embeddingGathersDecodedRows() {
        Random rnd = new Random(14);
        for (DType dtype : DType.values()) {
            int dim = dtype.quantized() ? 96 : 33, vocab = 11;
            MemorySegment table = TestData.encode(TestData.gaussian(rnd, vocab * dim, 1f), vocab, dim, dtype);
            int[] tokens = {5, 0, 10, 5};
            MemorySegment out = TestData.floats(tokens.length * dim);
            Embedding.lookup(table, dtype, dim, tokens, tokens.length, out);
            float[] got = TestData.toArray(out, tokens.length * dim);
            for (int r = 0; r < tokens.length; r++) {
                float[] expected = ScalarReference.row(table, dtype, tokens[r], dim);
                float[] row = new float[dim];
                System.arraycopy(got, r * dim, row, 0, dim);
                assertArrayEquals(expected, row, 0f, dtype + " token " + tokens[r]); // decoding is exact
            }
        }
    }
}
