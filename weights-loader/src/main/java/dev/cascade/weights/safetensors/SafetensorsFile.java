package dev.cascade.weights.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cascade.weights.DType;
import dev.cascade.weights.MappedFiles;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One memory-mapped .safetensors file: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and [begin, end) byte range in the data section that follows, then the
 * data. Everything is checked when the file is opened.
 */
public final class SafetensorsFile {
    /** The reference implementation's limit; a larger header is a damaged file, not a model. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    static final String METADATA_KEY = "__metadata__";
    /** Duplicate names would silently shadow a tensor, so they are an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final Path path;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final long fileSize;

    private SafetensorsFile(Path path, Map<String, Tensor> tensors, Map<String, String> metadata, long fileSize) {
        this.path = path;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.fileSize = fileSize;
    }

    /** Maps the file into {@code arena}; its tensors live as long as the arena. */
    public static SafetensorsFile open(Path path, Arena arena) {
        MemorySegment file = MappedFiles.map(path, arena);
        if (file.byteSize() < 8) {
            throw new ModelFormatException(path, "not a safetensors file: " + file.byteSize()
                    + " bytes is too short for the 8-byte header length");
        }
        long headerBytes = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || headerBytes > file.byteSize() - 8) {
            throw new ModelFormatException(path, "safetensors header length " + Long.toUnsignedString(headerBytes)
                    + " does not fit the file (" + file.byteSize() + " bytes)");
        }
        byte[] header = file.asSlice(8, headerBytes).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JacksonException e) {
            throw new ModelFormatException(path, "safetensors header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new ModelFormatException(path, "cannot parse the safetensors header: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(path, "safetensors header is not a JSON object");
        }
        long dataStart = 8 + headerBytes;
        MemorySegment data = file.asSlice(dataStart);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(path, field.getValue(), metadata);
            } else {
                entries.add(entry(path, field.getKey(), field.getValue(), data.byteSize()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        for (int i = 1; i < entries.size(); i++) {
            Entry prev = entries.get(i - 1);
            Entry next = entries.get(i);
            if (prev.end() > next.begin()) {
                throw new ModelFormatException(path, "tensors " + prev.name() + " [" + prev.begin() + ", " + prev.end()
                        + ") and " + next.name() + " [" + next.begin() + ", " + next.end() + ") overlap");
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape(), data.asSlice(e.begin(), e.end() - e.begin())));
        }
        return new SafetensorsFile(path, tensors, metadata, file.byteSize());
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new ModelFormatException(path, METADATA_KEY + " must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(path, METADATA_KEY + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
    }

    private static Entry entry(Path path, String name, JsonNode node, long dataBytes) {
        if (!node.isObject()) {
            throw bad(path, name, "its header entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw bad(path, name, "has no dtype");
        }
        DType dtype = dtype(path, name, dtypeNode.asText());
        long[] shape = longs(path, name, node.get("shape"), "shape", -1);
        long[] offsets = longs(path, name, node.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw bad(path, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end > dataBytes) {
            throw bad(path, name, "data_offsets [" + begin + ", " + end + "] run past the end of the data section ("
                    + dataBytes + " bytes; file truncated?)");
        }
        long expected;
        try {
            expected = dtype.byteSize(Tensor.elementCount(shape));
        } catch (ArithmeticException e) {
            throw bad(path, name, "shape " + Arrays.toString(shape) + " is too large");
        }
        if (end - begin != expected) {
            throw bad(path, name, dtype + " " + Arrays.toString(shape) + " needs " + expected + " bytes but data_offsets ["
                    + begin + ", " + end + "] hold " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static DType dtype(Path path, String name, String dtype) {
        return switch (dtype) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            default -> throw bad(path, name, "has dtype " + dtype + ", which is not supported (supported: F32, F16, BF16)");
        };
    }

    private static long[] longs(Path path, String name, JsonNode node, String field, int requiredLength) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw bad(path, name, field + " must be an array" + (requiredLength >= 0 ? " of " + requiredLength : "")
                    + " of non-negative integers");
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw bad(path, name, field + "[" + i + "] = " + v + " is not a non-negative integer");
            }
            out[i] = v.asLong();
        }
        return out;
    }

    private static ModelFormatException bad(Path path, String tensor, String message) {
        return new ModelFormatException(path, "tensor " + tensor + " " + message);
    }

    public Path path() {
        return path;
    }

    /** The tensors under their stored names, in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} strings. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public long fileSize() {
        return fileSize;
    }
}
