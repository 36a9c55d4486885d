package dev.cascade.weights.gguf;

import dev.cascade.weights.DType;
import dev.cascade.weights.Quantization;
import dev.cascade.weights.Tensor;
import dev.cascade.weights.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static GgufWriter everyValueType() {
        return new GgufWriter()
                .put("u8", GgufValueType.UINT8, 250)
                .put("i8", GgufValueType.INT8, -5)
                .put("u16", GgufValueType.UINT16, 65000)
                .put("i16", GgufValueType.INT16, -300)
                .put("u32", GgufValueType.UINT32, 4_000_000_000L)
                .put("i32", GgufValueType.INT32, -7)
                .put("f32", GgufValueType.FLOAT32, 1.5f)
                .put("bool", GgufValueType.BOOL, true)
                .put("str", GgufValueType.STRING, "héllo ▁world")
                .put("u64", GgufValueType.UINT64, 1L << 40)
                .put("i64", GgufValueType.INT64, -(1L << 40))
                .put("f64", GgufValueType.FLOAT64, 0.1)
                .putArray("a.str", GgufValueType.STRING, new String[] {"a", "", "<0x0A>"})
                .putArray("a.f32", GgufValueType.FLOAT32, new float[] {0f, -1.25f})
                .putArray("a.f64", GgufValueType.FLOAT64, new double[] {2.5})
                .putArray("a.u8", GgufValueType.UINT8, new int[] {0, 255})
                .putArray("a.i16", GgufValueType.INT16, new int[] {-32768, 32767})
                .putArray("a.i32", GgufValueType.INT32, new int[] {1, 2, 3})
                .putArray("a.u32", GgufValueType.UINT32, new long[] {4_000_000_000L})
                .putArray("a.i64", GgufValueType.INT64, new long[] {-1})
                .putArray("a.bool", GgufValueType.BOOL, new boolean[] {true, false})
                .putArray("a.nested", GgufValueType.ARRAY, new Object[] {new int[] {1, 2}, new String[] {"x"}})
                .putArray("a.empty", GgufValueType.INT32, new int[0]);
    }

    @Test
    void metadataComesBackInTheDocumentedJavaTypes() {
        Path p = dir.resolve("meta.gguf");
        everyValueType().write(p);
        try (GgufFile f = GgufFile.open(p)) {
            Map<String, Object> m = f.metadata();
            assertEquals(3, f.version());
            assertEquals(0, f.tensorInfos().size());
            assertEquals(250, m.get("u8"));
            assertEquals(-5, m.get("i8"));
            assertEquals(65000, m.get("u16"));
            assertEquals(-300, m.get("i16"));
            assertEquals(4_000_000_000L, m.get("u32"));
            assertEquals(-7, m.get("i32"));
            assertEquals(1.5f, m.get("f32"));
            assertEquals(Boolean.TRUE, m.get("bool"));
            assertEquals("héllo ▁world", m.get("str"));
            assertEquals(1L << 40, m.get("u64"));
            assertEquals(-(1L << 40), m.get("i64"));
            assertEquals(0.1, m.get("f64"));
            assertArrayEquals(new String[] {"a", "", "<0x0A>"}, (String[]) m.get("a.str"));
            assertArrayEquals(new float[] {0f, -1.25f}, (float[]) m.get("a.f32"));
            assertArrayEquals(new double[] {2.5}, (double[]) m.get("a.f64"));
            assertArrayEquals(new int[] {0, 255}, (int[]) m.get("a.u8"));
            assertArrayEquals(new int[] {-32768, 32767}, (int[]) m.get("a.i16"));
            assertArrayEquals(new int[] {1, 2, 3}, (int[]) m.get("a.i32"));
            assertArrayEquals(new long[] {4_000_000_000L}, (long[]) m.get("a.u32"));
            assertArrayEquals(new long[] {-1}, (long[]) m.get("a.i64"));
            assertArrayEquals(new boolean[] {true, false}, (boolean[]) m.get("a.bool"));
            Object[] nested = assertInstanceOf(Object[].class, m.get("a.nested"));
            assertArrayEquals(new int[] {1, 2}, (int[]) nested[0]);
            assertArrayEquals(new String[] {"x"}, (String[]) nested[1]);
            assertEquals(0, ((int[]) m.get("a.empty")).length);
            assertEquals(List.copyOf(m.keySet()).getFirst(), "u8", "file order is kept");
            assertEquals(GgufValueType.UINT16, f.valueType("u16"));
            assertEquals(GgufValueType.ARRAY, f.valueType("a.nested"));

            GgufMetadata meta = f.meta();
            assertEquals(4_000_000_000L, meta.integer("u32").orElseThrow());
            assertEquals(65000, meta.requireInt("u16"));
            assertEquals(1.5f, meta.floatOr("f32", 0f));
            assertEquals(0.1f, meta.floatOr("f64", 0f));
            assertEquals(9, meta.intOr("absent", 9));
            assertArrayEquals(new int[] {-1}, meta.intArray("a.i64").orElseThrow());
            assertEquals(3, meta.arrayLength("a.str"));
        }
    }

    @Test
    void tensorsOfEveryDtypeReadBackBitExact() {
        Random random = new Random(42);
        Path p = dir.resolve("tensors.gguf");
        GgufWriter w = new GgufWriter().putString("general.architecture", "llama");
        long[][] shapes = {{3, 64}, {2, 3, 32}, {7}, {64, 32}, {5, 96}};
        DType[] dtypes = {DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0};
        byte[][] bytes = new byte[dtypes.length][];
        for (int i = 0; i < dtypes.length; i++) {
            float[] values = TestFiles.randomFloats(random, (int) Tensor.elementCount(shapes[i]));
            bytes[i] = Quantization.encode(values, dtypes[i]);
            w.addTensor("t" + i, dtypes[i], shapes[i], bytes[i]);
        }
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(dtypes.length, f.tensorInfos().size());
            for (int i = 0; i < dtypes.length; i++) {
                Tensor t = f.tensor("t" + i);
                assertEquals(dtypes[i], t.dtype());
                assertArrayEquals(shapes[i], t.shape());
                assertArrayEquals(bytes[i], t.data().toArray(ValueLayout.JAVA_BYTE), "tensor t" + i);
                assertEquals(0, (f.dataOffset() + f.tensorInfo("t" + i).offset()) % 32, "aligned");
            }
            assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), List.copyOf(f.tensors().keySet()));
        }
    }

    @Test
    void customAlignmentAndVersion2AreHonoured() {
        Path p = dir.resolve("v2.gguf");
        byte[] data = Quantization.encode(TestFiles.randomFloats(new Random(1), 10), DType.F32);
        byte[] data2 = Quantization.encode(TestFiles.randomFloats(new Random(2), 3), DType.F16);
        new GgufWriter().version(2).alignment(64)
                .addTensor("a", DType.F32, new long[] {10}, data)
                .addTensor("b", DType.F16, new long[] {3}, data2)
                .write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals(2, f.version());
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            assertEquals(64, f.tensorInfo("b").offset());
            assertArrayEquals(data, f.tensor("a").data().toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(data2, f.tensor("b").data().toArray(ValueLayout.JAVA_BYTE));
            assertTrue(f.segment().isMapped());
        }
    }
}
