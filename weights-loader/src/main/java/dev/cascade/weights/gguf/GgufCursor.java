package dev.cascade.weights.gguf;

import dev.cascade.weights.ModelFormatException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads little-endian values in order from a mapped file, checking every read against the end of
 * the file first: a truncated or lying file gives a {@link ModelFormatException}, never an
 * out-of-bounds access on the mapping.
 */
final class GgufCursor {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment file;
    private final Path path;
    private long position;

    GgufCursor(MemorySegment file, Path path) {
        this.file = file;
        this.path = path;
    }

    long position() {
        return position;
    }

    long remaining() {
        return file.byteSize() - position;
    }

    ModelFormatException error(String message) {
        return new ModelFormatException(path, message);
    }

    /** Fails unless {@code bytes} more bytes exist; {@code what} says what was being read. */
    void need(long bytes, String what) {
        if (bytes < 0 || bytes > remaining()) {
            throw error("truncated: " + what + " needs " + Long.toUnsignedString(bytes) + " bytes at offset "
                    + position + " but the file has " + remaining() + " left (file size " + file.byteSize() + ")");
        }
    }

    int u8(String what) {
        need(1, what);
        return Byte.toUnsignedInt(file.get(ValueLayout.JAVA_BYTE, position++));
    }

    byte i8(String what) {
        need(1, what);
        return file.get(ValueLayout.JAVA_BYTE, position++);
    }

    short i16(String what) {
        need(2, what);
        short v = file.get(U16, position);
        position += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = file.get(U32, position);
        position += 4;
        return v;
    }

    long u32(String what) {
        return Integer.toUnsignedLong(i32(what));
    }

    long i64(String what) {
        need(8, what);
        long v = file.get(U64, position);
        position += 8;
        return v;
    }

    float f32(String what) {
        need(4, what);
        float v = file.get(F32, position);
        position += 4;
        return v;
    }

    double f64(String what) {
        need(8, what);
        double v = file.get(F64, position);
        position += 8;
        return v;
    }

    /** A uint64 length or count that must fit a Java array and the bytes left in the file. */
    int count(String what, int minBytesEach) {
        long n = i64(what);
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw error(what + " is " + Long.toUnsignedString(n) + ", too large");
        }
        if (n * (long) minBytesEach > remaining()) {
            throw error(what + " is " + n + " but only " + remaining() + " bytes remain at offset " + position
                    + " (each element takes at least " + minBytesEach + " bytes)");
        }
        return (int) n;
    }

    String string(String what) {
        int length = count("length of " + what, 1);
        byte[] bytes = new byte[length];
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, position, bytes, 0, length);
        position += length;
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void skipTo(long offset, String what) {
        if (offset < position || offset > file.byteSize()) {
            throw error("truncated: " + what + " at offset " + offset + " lies past the end of the file (size "
                    + file.byteSize() + ")");
        }
        position = offset;
    }
}
