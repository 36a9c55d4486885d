package dev.cascade.weights.gguf;

import dev.cascade.weights.DType;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class GgufCorruptionTest {
    @TempDir
    Path dir;

    private byte[] sample() {
        Path p = dir.resolve("sample.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, new String[] {"<unk>", "a", "b"})
                .putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, new float[] {0, -1, -2})
                .addTensor("first.weight", DType.F32, new long[] {2, 8},
                        Quantization.encode(TestFiles.randomFloats(new Random(3), 16), DType.F32))
                .addTensor("second.weight", DType.Q8_0, new long[] {1, 32},
                        Quantization.encode(TestFiles.randomFloats(new Random(4), 32), DType.Q8_0))
                .write(p);
        return TestFiles.read(p);
    }

    private ModelFormatException openFails(byte[] bytes, String... messageParts) {
        Path p = TestFiles.write(dir.resolve("broken.gguf"), bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufFile.open(p).close());
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void everyTruncationBeforeTheLastTensorEndsIsAFormatError() {
        byte[] whole = sample();
        Path good = TestFiles.write(dir.resolve("good.gguf"), whole);
        long lastEnd;
        try (GgufFile f = GgufFile.open(good)) {
            GgufTensorInfo last = f.tensorInfo("second.weight");
            lastEnd = f.dataOffset() + last.offset() + last.byteSize();
        }
        for (int cut = 0; cut < lastEnd; cut++) {
            openFails(TestFiles.prefix(whole, cut));
        }
    }

    @Test
    void randomlyDamagedFilesEitherOpenOrFailCleanly() {
        byte[] whole = sample();
        Random random = new Random(11);
        Path p = dir.resolve("fuzz.gguf");
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = whole.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = random.nextInt(200);  // the header, metadata and tensor table
                b[at] = (byte) random.nextInt(256);
            }
            TestFiles.write(p, b);
            try (GgufFile f = GgufFile.open(p)) {
                f.tensorInfos().forEach(t -> {
                    if (t.type().supported()) {
                        f.tensor(t.name());
                    }
                });
            } catch (ModelFormatException expected) {
                // fine: a clean, named error
            } catch (RuntimeException | Error other) {
                fail("trial " + trial + " threw " + other, other);
            }
        }
    }

    @Test
    void badMagicAndVersionAreNamed() {
        byte[] b = sample();
        b[0] = 'X';
        openFails(b, "not a GGUF file");
        byte[] v1 = sample();
        TestFiles.putInt(v1, 4, 1);
        openFails(v1, "GGUF version 1 is not supported");
        byte[] v9 = sample();
        TestFiles.putInt(v9, 4, 9);
        openFails(v9, "version 9");
        openFails(new byte[0], "empty");
    }

    @Test
    void impossibleCountsAndLengthsAreRejectedBeforeAllocating() {
        byte[] tensors = sample();
        TestFiles.putLong(tensors, 8, Long.MAX_VALUE);
        openFails(tensors, "tensor count");

        byte[] array = sample();
        int count = TestFiles.indexOf(array, "tokenizer.ggml.tokens") + "tokenizer.ggml.tokens".length() + 8;
        TestFiles.putLong(array, count, 0x7fff_ffffL);
        openFails(array, "array length of tokenizer.ggml.tokens");

        byte[] negative = sample();
        TestFiles.putLong(negative, count, -1);
        openFails(negative, "array length of tokenizer.ggml.tokens");

        byte[] string = sample();
        int keyLength = TestFiles.indexOf(string, "general.architecture") - 8;
        TestFiles.putLong(string, keyLength, 1L << 40);
        openFails(string, "length of metadata key #0");

        byte[] value = sample();
        int valueLength = TestFiles.indexOf(value, "general.architecture") + "general.architecture".length() + 4;
        TestFiles.putLong(value, valueLength, 1000);
        openFails(value, "general.architecture");
    }

    @Test
    void unknownValueTypeIsNamed() {
        byte[] b = sample();
        int type = TestFiles.indexOf(b, "general.architecture") + "general.architecture".length();
        TestFiles.putInt(b, type, 77);
        openFails(b, "general.architecture", "unknown value type 77");
    }

    private int tensorTypeField(byte[] b, String name, int dims) {
        return TestFiles.indexOf(b, name) + name.length() + 4 + 8 * dims;
    }

    @Test
    void unsupportedTensorTypeIsNamedWhenTheTensorIsRead() {
        byte[] b = sample();
        // make "second.weight" [1, 32] Q8_0 (34 bytes) a Q4_1 tensor (20 bytes per block): still fits in place
        TestFiles.putInt(b, tensorTypeField(b, "second.weight", 2), GgmlType.Q4_1.id());
        Path p = TestFiles.write(dir.resolve("q41.gguf"), b);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(GgmlType.Q4_1, f.tensorInfo("second.weight").type());
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.tensor("second.weight"));
            assertTrue(e.getMessage().contains("Q4_1") && e.getMessage().contains("second.weight"), e.getMessage());
            assertTrue(e.getMessage().contains(p.toString()));
        }
        byte[] unknown = sample();
        TestFiles.putInt(unknown, tensorTypeField(unknown, "second.weight", 2), 4);
        openFails(unknown, "second.weight", "unknown ggml type 4");
    }

    @Test
    void tensorLayoutErrorsNameTheTensor() {
        byte[] past = sample();
        int offsetField = tensorTypeField(past, "second.weight", 2) + 4;
        TestFiles.putLong(past, offsetField, 1 << 20);
        openFails(past, "second.weight", "past the end");

        byte[] misaligned = sample();
        TestFiles.putLong(misaligned, offsetField, 8);
        openFails(misaligned, "second.weight", "alignment");

        byte[] overlap = sample();
        TestFiles.putLong(overlap, offsetField, 0);
        openFails(overlap, "overlap", "first.weight", "second.weight");

        byte[] dims = sample();
        int nDims = TestFiles.indexOf(dims, "first.weight") + "first.weight".length();
        TestFiles.putInt(dims, nDims, 9);
        openFails(dims, "first.weight", "9 dimensions");

        byte[] huge = sample();
        TestFiles.putLong(huge, nDims + 4, 1L << 62);
        openFails(huge, "first.weight");

        byte[] partialBlock = sample();
        // innermost dimension of the Q8_0 tensor: 32 -> 16, not a whole block
        TestFiles.putLong(partialBlock, TestFiles.indexOf(partialBlock, "second.weight") + "second.weight".length() + 4, 16);
        openFails(partialBlock, "second.weight", "block size");
    }

    @Test
    void duplicateKeysAndTensorNamesAreRejected() {
        Path p = dir.resolve("dups.gguf");
        new GgufWriter().putInt32("k.one", 1).putInt32("k.two", 2)
                .addTensor("x.a", DType.F32, new long[] {1}, new byte[4])
                .addTensor("x.b", DType.F32, new long[] {1}, new byte[4])
                .write(p);
        byte[] keys = TestFiles.read(p);
        System.arraycopy("k.one".getBytes(), 0, keys, TestFiles.indexOf(keys, "k.two"), 5);
        openFails(keys, "k.one", "twice");
        byte[] names = TestFiles.read(p);
        System.arraycopy("x.a".getBytes(), 0, names, TestFiles.indexOf(names, "x.b"), 3);
        openFails(names, "x.a", "twice");
    }
}
