package dev.cascade.weights.gguf;

import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF file (versions 2 and 3, little-endian), memory-mapped. The header, metadata and tensor
 * table are parsed and checked when the file is opened; tensor data stays in the mapping.
 *
 * <p>{@link #metadata()} holds each value as: uint8, int8, uint16, int16, int32 → Integer;
 * uint32, int64, uint64 → Long (uint64 above 2^63 wraps negative); float32 → Float; float64 → Double;
 * bool → Boolean; string → String. Arrays: of string → String[]; of float32 → float[]; of float64 →
 * double[]; of uint8/int8/uint16/int16/int32 → int[]; of uint32/int64/uint64 → long[]; of bool →
 * boolean[]; of arrays → Object[] (holding arrays as above). The arrays are shared; do not modify them.
 */
public final class GgufFile implements AutoCloseable {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    public static final int DEFAULT_ALIGNMENT = 32;
    /** ggml's GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> metadataTypes;
    private final int alignment;
    private final long dataOffset;
    private final List<GgufTensorInfo> tensorInfos;
    private final Map<String, GgufTensorInfo> tensorsByName;
    private final MemorySegment file;
    private final Arena ownedArena;

    private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, GgufValueType> metadataTypes,
                     int alignment, long dataOffset, List<GgufTensorInfo> tensorInfos, MemorySegment file,
                     Arena ownedArena) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.metadataTypes = Collections.unmodifiableMap(metadataTypes);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.tensorInfos = List.copyOf(tensorInfos);
        Map<String, GgufTensorInfo> byName = new HashMap<>();
        for (GgufTensorInfo t : tensorInfos) {
            byName.put(t.name(), t);
        }
        this.tensorsByName = byName;
        this.file = file;
        this.ownedArena = ownedArena;
    }

    /** Opens and maps the file; {@link #close()} unmaps it. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try {
            return read(path, arena, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Opens the file mapped into {@code arena}, which owns the mapping (closing this file does nothing). */
    public static GgufFile open(Path path, Arena arena) {
        return read(path, arena, null);
    }

    private static GgufFile read(Path path, Arena arena, Arena owned) {
        MemorySegment file = map(path, arena);
        GgufCursor in = new GgufCursor(file, path);
        if (file.byteSize() < 4) {
            throw in.error("not a GGUF file: " + file.byteSize() + " bytes, too short for the magic");
        }
        int magic = in.i32("magic");
        if (magic != MAGIC) {
            throw in.error(String.format("not a GGUF file: magic is 0x%08x, expected 0x%08x (\"GGUF\")", magic, MAGIC));
        }
        long version = in.u32("version");
        if (version != 2 && version != 3) {
            throw in.error("GGUF version " + version + " is not supported (only versions 2 and 3)");
        }
        long tensorCount = in.i64("tensor count");
        long kvCount = in.i64("metadata count");
        // Every tensor info takes at least 8 + 4 + 4 + 8 bytes, every key/value at least 8 + 4 + 1.
        if (tensorCount < 0 || tensorCount > in.remaining() / 24) {
            throw in.error("tensor count " + Long.toUnsignedString(tensorCount) + " is impossible for a file of "
                    + file.byteSize() + " bytes");
        }
        if (kvCount < 0 || kvCount > in.remaining() / 13) {
            throw in.error("metadata count " + Long.toUnsignedString(kvCount) + " is impossible for a file of "
                    + file.byteSize() + " bytes");
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new LinkedHashMap<>();
        GgufValueReader values = new GgufValueReader(in);
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            GgufValueType type = values.type(key);
            Object value = values.value(type, key);
            if (metadata.putIfAbsent(key, value) != null) {
                throw in.error("metadata key " + key + " appears twice");
            }
            types.put(key, type);
        }
        int alignment = alignment(metadata, in);

        List<PendingTensor> pending = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            pending.add(readTensorInfo(in, i));
        }
        long dataOffset = alignUp(in.position(), alignment);
        // A file with tensors must reach its data section; a vocabulary-only file may end right after the table.
        if (tensorCount > 0) {
            in.skipTo(dataOffset, "the data section");
        }
        List<GgufTensorInfo> infos = checkTensors(pending, alignment, dataOffset, file.byteSize(), in);
        return new GgufFile(path, (int) version, metadata, types, alignment, dataOffset, infos, file, owned);
    }

    private static MemorySegment map(Path path, Arena arena) {
        if (!Files.isRegularFile(path)) {
            throw new ModelFormatException(path, Files.exists(path) ? "is not a regular file" : "does not exist");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new ModelFormatException(path, "file is empty");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static int alignment(Map<String, Object> metadata, GgufCursor in) {
        Object a = metadata.get("general.alignment");
        if (a == null) {
            return DEFAULT_ALIGNMENT;
        }
        long v = a instanceof Integer i ? i : a instanceof Long l ? l : -1;
        if (v <= 0 || v > (1 << 30) || Long.bitCount(v) != 1) {
            throw in.error("general.alignment must be a positive power of two, got " + a);
        }
        return (int) v;
    }

    private record PendingTensor(String name, long[] ne, long typeId, long offset) {
    }

    private static PendingTensor readTensorInfo(GgufCursor in, long index) {
        String name = in.string("name of tensor #" + index);
        long nDims = in.u32("dimension count of tensor " + name);
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw in.error("tensor " + name + " has " + nDims + " dimensions (must be 1.." + MAX_DIMS + ")");
        }
        long[] ne = new long[(int) nDims];
        for (int d = 0; d < nDims; d++) {
            ne[d] = in.i64("dimension " + d + " of tensor " + name);
            if (ne[d] < 0) {
                throw in.error("tensor " + name + " has dimension " + d + " = " + Long.toUnsignedString(ne[d]));
            }
        }
        long type = in.u32("type of tensor " + name);
        long offset = in.i64("offset of tensor " + name);
        return new PendingTensor(name, ne, type, offset);
    }

    private static List<GgufTensorInfo> checkTensors(List<PendingTensor> pending, int alignment, long dataOffset,
                                                     long fileSize, GgufCursor in) {
        List<GgufTensorInfo> infos = new ArrayList<>(pending.size());
        Map<String, Boolean> seen = new HashMap<>();
        long dataSize = fileSize - dataOffset;
        for (PendingTensor p : pending) {
            String name = p.name();
            if (seen.put(name, Boolean.TRUE) != null) {
                throw in.error("tensor " + name + " appears twice");
            }
            GgmlType type = GgmlType.byId(p.typeId());
            if (type == null) {
                throw in.error("tensor " + name + " has unknown ggml type " + p.typeId());
            }
            long elements = 1;
            try {
                for (long d : p.ne()) {
                    elements = Math.multiplyExact(elements, d);
                }
            } catch (ArithmeticException e) {
                throw in.error("tensor " + name + " dimensions " + Arrays.toString(p.ne()) + " overflow");
            }
            if (p.ne()[0] % type.blockSize() != 0) {
                throw in.error("tensor " + name + " of type " + type + " has a row of " + p.ne()[0]
                        + " elements, not a multiple of the block size " + type.blockSize());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements / type.blockSize(), (long) type.blockBytes());
            } catch (ArithmeticException e) {
                throw in.error("tensor " + name + " is too large");
            }
            long offset = p.offset();
            if (offset < 0 || offset % alignment != 0) {
                throw in.error("tensor " + name + " has offset " + Long.toUnsignedString(offset)
                        + ", not a multiple of the alignment " + alignment);
            }
            if (offset > dataSize || bytes > dataSize - offset) {
                throw in.error("truncated: tensor " + name + " data [" + offset + ", " + (offset + bytes)
                        + ") lies past the end of the data section (" + dataSize + " bytes)");
            }
            long[] shape = new long[p.ne().length];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = p.ne()[shape.length - 1 - d];
            }
            infos.add(new GgufTensorInfo(name, type, shape, offset, bytes));
        }
        List<GgufTensorInfo> byOffset = new ArrayList<>(infos);
        byOffset.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            GgufTensorInfo prev = byOffset.get(i - 1);
            GgufTensorInfo next = byOffset.get(i);
            if (prev.offset() + prev.byteSize() > next.offset()) {
                throw in.error("tensors " + prev.name() + " and " + next.name() + " overlap");
            }
        }
        return infos;
    }

    static long alignUp(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public int alignment() {
        return alignment;
    }

    /** Where the tensor data section starts in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return file.byteSize();
    }

    /** All metadata in file order; see the class comment for the value types. */
    public Map<String, Object> metadata() {
        return metadata;
    }

    /** Typed access to {@link #metadata()}. */
    public GgufMetadata meta() {
        return GgufMetadata.of(metadata, path);
    }

    /** The stored type of a metadata value, or null when the key is absent. */
    public GgufValueType valueType(String key) {
        return metadataTypes.get(key);
    }

    public List<GgufTensorInfo> tensorInfos() {
        return tensorInfos;
    }

    /** The tensor table entry, or null. */
    public GgufTensorInfo tensorInfo(String name) {
        return tensorsByName.get(name);
    }

    /** The raw bytes of a tensor, whatever its type. */
    public MemorySegment tensorData(GgufTensorInfo info) {
        return file.asSlice(dataOffset + info.offset(), info.byteSize());
    }

    /** The named tensor as a {@link Tensor} over the mapping; fails on a type Cascade does not support. */
    public Tensor tensor(String name) {
        GgufTensorInfo info = tensorsByName.get(name);
        if (info == null) {
            throw new ModelFormatException(path, "has no tensor " + name);
        }
        return toTensor(info);
    }

    /** Every tensor, in file order, under its GGUF name. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (GgufTensorInfo info : tensorInfos) {
            out.put(info.name(), toTensor(info));
        }
        return out;
    }

    private Tensor toTensor(GgufTensorInfo info) {
        if (!info.type().supported()) {
            throw new ModelFormatException(path, "tensor " + info.name() + " has ggml type " + info.type()
                    + ", which Cascade does not support (supported: F32, F16, BF16, Q8_0, Q4_0)");
        }
        return new Tensor(info.name(), info.type().dtype(), info.shape(), tensorData(info));
    }

    /** The whole mapped file. */
    public MemorySegment segment() {
        return file;
    }

    @Override
    public void close() {
        if (ownedArena != null) {
            ownedArena.close();
        }
    }
}
