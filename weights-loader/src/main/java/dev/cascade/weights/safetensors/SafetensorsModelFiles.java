package dev.cascade.weights.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors weights of one model folder: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json}'s weight_map. Tensors keep their stored (Hugging Face) names.
 */
public record SafetensorsModelFiles(Map<String, Tensor> tensors, List<Path> files, long totalBytes,
                                    Map<String, String> metadata) {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    public SafetensorsModelFiles {
        tensors = Collections.unmodifiableMap(tensors);
        files = List.copyOf(files);
        metadata = Collections.unmodifiableMap(metadata);
    }

    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(INDEX)) || Files.isRegularFile(folder.resolve(SINGLE));
    }

    public static SafetensorsModelFiles open(Path folder, Arena arena) {
        Path index = folder.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            return sharded(folder, index, arena);
        }
        Path single = folder.resolve(SINGLE);
        if (!Files.isRegularFile(single)) {
            throw new ModelFormatException(folder, "has neither " + SINGLE + " nor " + INDEX);
        }
        SafetensorsFile f = SafetensorsFile.open(single, arena);
        return new SafetensorsModelFiles(f.tensors(), List.of(single), f.fileSize(), f.metadata());
    }

    private static SafetensorsModelFiles sharded(Path given, Path index, Arena arena) {
        Path folder = given.toAbsolutePath().normalize();
        Map<String, String> weightMap = weightMap(index);
        // shard -> the tensors the index places there, shards in name order
        Map<String, List<String>> byShard = new TreeMap<>();
        weightMap.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(tensor));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, List<String>> e : byShard.entrySet()) {
            Path shard = folder.resolve(e.getKey()).normalize();
            if (!folder.equals(shard.getParent())) {
                throw new ModelFormatException(index, "shard " + e.getKey() + " is not a file in " + folder);
            }
            SafetensorsFile f = SafetensorsFile.open(shard, arena);
            files.add(shard);
            total += f.fileSize();
            metadata.putAll(f.metadata());
            for (String name : e.getValue()) {
                Tensor t = f.tensors().get(name);
                if (t == null) {
                    throw new ModelFormatException(index, "weight_map places tensor " + name + " in " + e.getKey()
                            + ", which does not contain it");
                }
                tensors.put(name, t);
            }
            for (String name : f.tensors().keySet()) {
                if (!e.getKey().equals(weightMap.get(name))) {
                    throw new ModelFormatException(shard, "contains tensor " + name + " which " + INDEX
                            + (weightMap.containsKey(name) ? " places in " + weightMap.get(name) : " does not list"));
                }
            }
        }
        return new SafetensorsModelFiles(tensors, files, total, metadata);
    }

    private static Map<String, String> weightMap(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(index, "is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelFormatException(index, "has no weight_map object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(index, "weight_map entry for " + e.getKey() + " is not a file name");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
