package dev.cascade.weights.safetensors;

import dev.cascade.weights.DType;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static final DType[] DTYPES = {DType.F32, DType.F16, DType.BF16, DType.F32, DType.BF16};
    private static final long[][] SHAPES = {{3, 5}, {7}, {2, 3, 4}, {1}, {16, 2}};

    private byte[][] fill(SafetensorsWriter w) {
        Random random = new Random(9);
        byte[][] bytes = new byte[DTYPES.length][];
        for (int i = 0; i < DTYPES.length; i++) {
            bytes[i] = Quantization.encode(TestFiles.randomFloats(random, (int) Tensor.elementCount(SHAPES[i])), DTYPES[i]);
            w.add("t" + i, DTYPES[i], SHAPES[i], bytes[i]);
        }
        return bytes;
    }

    private void assertTensors(Map<String, Tensor> tensors, byte[][] bytes) {
        assertEquals(DTYPES.length, tensors.size());
        for (int i = 0; i < DTYPES.length; i++) {
            Tensor t = tensors.get("t" + i);
            assertEquals(DTYPES[i], t.dtype());
            assertArrayEquals(SHAPES[i], t.shape());
            assertArrayEquals(bytes[i], t.data().toArray(ValueLayout.JAVA_BYTE), "t" + i);
        }
    }

    @Test
    void singleFileRoundTripIsBitExact() {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        byte[][] bytes = fill(w);
        Path p = dir.resolve("model.safetensors");
        w.write(p);
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile f = SafetensorsFile.open(p, arena);
            assertTensors(f.tensors(), bytes);
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), List.copyOf(f.tensors().keySet()));
        }
    }

    @Test
    void shardedFolderRoundTripIsBitExact() {
        SafetensorsWriter w = new SafetensorsWriter();
        byte[][] bytes = fill(w);
        w.writeSharded(dir, 3);
        assertTrue(Files.exists(dir.resolve("model-00003-of-00003.safetensors")));
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsModelFiles m = SafetensorsModelFiles.open(dir, arena);
            assertTensors(m.tensors(), bytes);
            assertEquals(3, m.files().size());
        }
    }

    @Test
    void shardIndexMismatchesAreNamed() throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        fill(w);
        w.writeSharded(dir, 2);
        Path index = dir.resolve(SafetensorsModelFiles.INDEX);
        String json = Files.readString(index);
        Files.writeString(index, json.replace("\"t0\" : \"model-00001-of-00002.safetensors\"",
                "\"t0\" : \"model-00002-of-00002.safetensors\""));
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsModelFiles.open(dir, arena));
            assertTrue(e.getMessage().contains("t0"), e.getMessage());
        }
        Files.writeString(index, json.replace("model-00002-of-00002", "model-00009-of-00009"));
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsModelFiles.open(dir, arena));
            assertTrue(e.getMessage().contains("model-00009-of-00009"), e.getMessage());
        }
    }

    /** A hand-written file: JSON header, then {@code dataBytes} bytes of data. */
    private Path handWritten(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[8 + json.length + dataBytes];
        TestFiles.putLong(b, 0, json.length);
        System.arraycopy(json, 0, b, 8, json.length);
        return TestFiles.write(dir.resolve("hand.safetensors"), b);
    }

    private void fails(Path p, String... parts) {
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsFile.open(p, arena));
            assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
            for (String part : parts) {
                assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
            }
        }
    }

    @Test
    void headerProblemsAreNamed() {
        fails(TestFiles.write(dir.resolve("short.safetensors"), new byte[5]), "too short");
        byte[] past = new byte[16];
        TestFiles.putLong(past, 0, 1000);
        fails(TestFiles.write(dir.resolve("past.safetensors"), past), "header length 1000");
        byte[] negative = new byte[16];
        TestFiles.putLong(negative, 0, -1);
        fails(TestFiles.write(dir.resolve("neg.safetensors"), negative), "header length");
        fails(handWritten("{\"a\": {\"dtype\": \"F32\", ", 0), "not valid JSON");
        fails(handWritten("[1, 2]", 0), "not a JSON object");
        fails(handWritten("{} {}", 0), "not valid JSON");
        fails(handWritten("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8), "a");
    }

    @Test
    void tensorEntryProblemsNameTheTensor() {
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 4),
                "tensor w", "past the end");
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}}", 8),
                "tensor w", "end before they begin");
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}}", 8),
                "tensor w", "needs 12 bytes");
        fails(handWritten("{\"w\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 8),
                "tensor w", "dtype I64");
        fails(handWritten("{\"w\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", 1),
                "tensor w", "F8_E4M3");
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4),
                "tensor w", "shape");
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4),
                "tensor w", "data_offsets");
        fails(handWritten("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "tensor w", "no dtype");
        fails(handWritten("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296],"
                + " \"data_offsets\": [0, 4]}}", 4), "tensor w");
        fails(handWritten("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", 12), "overlap", "a", "b");
    }

    @Test
    void everyTruncationFailsCleanlyAndFuzzingNeverCrashes() {
        SafetensorsWriter w = new SafetensorsWriter();
        fill(w);
        Path p = dir.resolve("whole.safetensors");
        w.write(p);
        byte[] whole = TestFiles.read(p);
        for (int cut = 0; cut < whole.length; cut++) {
            fails(TestFiles.write(dir.resolve("cut.safetensors"), TestFiles.prefix(whole, cut)));
        }
        Random random = new Random(5);
        int headerEnd = 8 + ((whole[0] & 0xff) | (whole[1] & 0xff) << 8);
        for (int trial = 0; trial < 1000; trial++) {
            byte[] b = whole.clone();
            b[random.nextInt(headerEnd)] = (byte) (32 + random.nextInt(95));
            Path q = TestFiles.write(dir.resolve("fuzz.safetensors"), b);
            try (Arena arena = Arena.ofConfined()) {
                SafetensorsFile.open(q, arena);
            } catch (ModelFormatException expected) {
                // a clean, named error
            } catch (RuntimeException | Error other) {
                fail("trial " + trial + " threw " + other, other);
            }
        }
    }
}
