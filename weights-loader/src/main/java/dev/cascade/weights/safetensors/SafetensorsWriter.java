package dev.cascade.weights.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.weights.DType;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes safetensors files (one, or a sharded set with its index), for tests and tools. */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(String name, DType dtype, long[] shape, byte[] data) {
    }

    private final List<Pending> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** A tensor from raw little-endian bytes in {@code dtype} (F32, F16 or BF16); shape outermost first. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, byte[] data) {
        if (dtype.quantized()) {
            throw new IllegalArgumentException("safetensors cannot store " + dtype);
        }
        long expected = dtype.byteSize(Tensor.elementCount(shape));
        if (data.length != expected) {
            throw new IllegalArgumentException(name + ": " + dtype + " needs " + expected + " bytes, got " + data.length);
        }
        tensors.add(new Pending(name, dtype, shape.clone(), data.clone()));
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path path) {
        write(path, tensors);
    }

    /**
     * Splits the tensors, in order, into {@code shards} files named like Hugging Face's
     * ({@code model-00001-of-00003.safetensors}) and writes {@code model.safetensors.index.json}.
     */
    public void writeSharded(Path folder, int shards) {
        if (shards < 1 || shards > tensors.size()) {
            throw new IllegalArgumentException("cannot split " + tensors.size() + " tensors into " + shards + " shards");
        }
        ObjectNode index = JSON.createObjectNode();
        ObjectNode weightMap = JSON.createObjectNode();
        long total = 0;
        for (int s = 0; s < shards; s++) {
            List<Pending> part = tensors.subList(s * tensors.size() / shards, (s + 1) * tensors.size() / shards);
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            write(folder.resolve(name), part);
            for (Pending p : part) {
                weightMap.put(p.name(), name);
                total += p.data().length;
            }
        }
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(SafetensorsModelFiles.INDEX).toFile(), index);
        } catch (IOException e) {
            throw new ModelFormatException(folder, "cannot write the index: " + e.getMessage(), e);
        }
    }

    private void write(Path path, List<Pending> part) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject(SafetensorsFile.METADATA_KEY);
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Pending p : part) {
            ObjectNode t = header.putObject(p.name());
            t.put("dtype", p.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (long d : p.shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + p.data().length);
            offset += p.data().length;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (Pending p : part) {
                out.write(p.data());
            }
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot write: " + e.getMessage(), e);
        }
    }
}
