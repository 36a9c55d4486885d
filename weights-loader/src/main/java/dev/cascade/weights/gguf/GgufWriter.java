package dev.cascade.weights.gguf;

import dev.cascade.weights.DType;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF files (version 3 by default), for tests and tools: metadata of any value type and
 * tensors in any dtype Cascade supports, each tensor's data padded to the alignment.
 */
public final class GgufWriter {
    private record Entry(GgufValueType type, GgufValueType elementType, Object value) {
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, byte[] data) {
    }

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int version = 3;
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    /** Writes this header version instead of 3 (2 has the same layout). */
    public GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    /** Pads tensor data to this alignment and records it as general.alignment (uint32). */
    public GgufWriter alignment(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        this.alignment = alignment;
        return put("general.alignment", GgufValueType.UINT32, (long) alignment);
    }

    /**
     * A scalar value of the given type: Integer/Long/any Number for integer types, Float/Double for
     * float types, Boolean, String.
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (type == GgufValueType.ARRAY) {
            throw new IllegalArgumentException("use putArray for arrays");
        }
        checkScalar(type, value);
        metadata.put(key, new Entry(type, null, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    public GgufWriter putUint32(String key, long value) {
        return put(key, GgufValueType.UINT32, value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    /**
     * An array: {@code values} is a Java array (String[], float[], double[], int[], long[], boolean[],
     * or Object[] of arrays when {@code elementType} is ARRAY) whose elements fit {@code elementType}.
     * For arrays of arrays, the inner element type is taken from the inner Java array's type.
     */
    public GgufWriter putArray(String key, GgufValueType elementType, Object values) {
        if (values == null || !values.getClass().isArray()) {
            throw new IllegalArgumentException(key + ": not an array");
        }
        metadata.put(key, new Entry(GgufValueType.ARRAY, elementType, values));
        return this;
    }

    public GgufWriter putStringArray(String key, String... values) {
        return putArray(key, GgufValueType.STRING, values);
    }

    /** A tensor from raw bytes already in {@code dtype}'s layout; shape outermost first. */
    public GgufWriter addTensor(String name, DType dtype, long[] shape, byte[] data) {
        long expected = dtype.byteSize(Tensor.elementCount(shape));
        if (data.length != expected) {
            throw new IllegalArgumentException(name + ": " + dtype + " needs " + expected + " bytes, got " + data.length);
        }
        if (shape.length < 1 || shape.length > GgufFile.MAX_DIMS) {
            throw new IllegalArgumentException(name + ": GGUF tensors have 1.." + GgufFile.MAX_DIMS + " dimensions");
        }
        if (shape[shape.length - 1] % dtype.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": rows must be whole " + dtype + " blocks");
        }
        tensors.add(new PendingTensor(name, GgmlType.of(dtype), shape.clone(), data.clone()));
        return this;
    }

    public GgufWriter addTensor(Tensor t) {
        return addTensor(t.name(), t.dtype(), t.shape(), t.data().toArray(ValueLayout.JAVA_BYTE));
    }

    public void write(Path path) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            LittleEndianOut le = new LittleEndianOut(out);
            le.u32(GgufFile.MAGIC);
            le.u32(version);
            le.u64(tensors.size());
            le.u64(metadata.size());
            for (Map.Entry<String, Entry> e : metadata.entrySet()) {
                le.string(e.getKey());
                le.u32(e.getValue().type().id());
                writeValue(le, e.getValue().type(), e.getValue().elementType(), e.getValue().value());
            }
            long offset = 0;
            for (PendingTensor t : tensors) {
                le.string(t.name());
                le.u32(t.shape().length);
                for (int d = t.shape().length - 1; d >= 0; d--) {
                    le.u64(t.shape()[d]);
                }
                le.u32(t.type().id());
                le.u64(offset);
                offset = GgufFile.alignUp(offset + t.data().length, alignment);
            }
            le.pad(alignment);
            for (PendingTensor t : tensors) {
                le.bytes(t.data());
                le.pad(alignment);
            }
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot write: " + e.getMessage(), e);
        }
    }

    private static void writeValue(LittleEndianOut le, GgufValueType type, GgufValueType elementType, Object v)
            throws IOException {
        switch (type) {
            case UINT8, INT8 -> le.u8(((Number) v).intValue());
            case UINT16, INT16 -> le.u16(((Number) v).intValue());
            case UINT32, INT32 -> le.u32(((Number) v).intValue());
            case UINT64, INT64 -> le.u64(((Number) v).longValue());
            case FLOAT32 -> le.u32(Float.floatToRawIntBits(((Number) v).floatValue()));
            case FLOAT64 -> le.u64(Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> le.u8((Boolean) v ? 1 : 0);
            case STRING -> le.string((String) v);
            case ARRAY -> writeArray(le, elementType, v);
        }
    }

    private static void writeArray(LittleEndianOut le, GgufValueType elementType, Object array) throws IOException {
        int n = java.lang.reflect.Array.getLength(array);
        le.u32(elementType.id());
        le.u64(n);
        for (int i = 0; i < n; i++) {
            Object element = java.lang.reflect.Array.get(array, i);
            if (elementType == GgufValueType.ARRAY) {
                writeArray(le, innerType(element), element);
            } else {
                checkScalar(elementType, element);
                writeValue(le, elementType, null, element);
            }
        }
    }

    private static GgufValueType innerType(Object array) {
        return switch (array) {
            case String[] _ -> GgufValueType.STRING;
            case float[] _ -> GgufValueType.FLOAT32;
            case double[] _ -> GgufValueType.FLOAT64;
            case int[] _ -> GgufValueType.INT32;
            case long[] _ -> GgufValueType.INT64;
            case boolean[] _ -> GgufValueType.BOOL;
            case Object[] _ -> GgufValueType.ARRAY;
            default -> throw new IllegalArgumentException("not a GGUF array: " + array.getClass());
        };
    }

    private static void checkScalar(GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case FLOAT32, FLOAT64 -> value instanceof Float || value instanceof Double;
            case ARRAY -> false;
            default -> value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
        };
        if (!ok) {
            throw new IllegalArgumentException("a " + type + " value cannot be " + value);
        }
    }

    /** Little-endian primitives onto a stream, tracking the position for padding. */
    private static final class LittleEndianOut {
        private final OutputStream out;
        private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        LittleEndianOut(OutputStream out) {
            this.out = out;
        }

        void u8(int v) throws IOException {
            out.write(v);
            position++;
        }

        void u16(int v) throws IOException {
            buf.clear();
            buf.putShort((short) v);
            out.write(buf.array(), 0, 2);
            position += 2;
        }

        void u32(int v) throws IOException {
            buf.clear();
            buf.putInt(v);
            out.write(buf.array(), 0, 4);
            position += 4;
        }

        void u64(long v) throws IOException {
            buf.clear();
            buf.putLong(v);
            out.write(buf.array(), 0, 8);
            position += 8;
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
            position += b.length;
        }

        void pad(int alignment) throws IOException {
            while (position % alignment != 0) {
                u8(0);
            }
        }
    }
}
