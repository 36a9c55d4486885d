package dev.cascade.weights.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** llama.cpp's test-tokenizer-0 vectors next to a vocab GGUF: {@code NAME.gguf.inp} and {@code NAME.gguf.out}. */
record TokenizerVectors(List<String> inputs, List<int[]> expected) {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    static TokenizerVectors nextTo(Path gguf) {
        try {
            String inp = Files.readString(gguf.resolveSibling(gguf.getFileName() + ".inp"), StandardCharsets.UTF_8);
            List<String> lines = Files.readAllLines(gguf.resolveSibling(gguf.getFileName() + ".out"), StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>();
            int from = 0;
            for (int at; (at = inp.indexOf(SEPARATOR, from)) >= 0; from = at + SEPARATOR.length()) {
                inputs.add(inp.substring(from, at));
            }
            List<int[]> expected = lines.stream()
                    .map(String::strip)
                    .map(line -> line.isEmpty() ? new int[0]
                            : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray())
                    .toList();
            if (inputs.size() != expected.size()) {
                throw new IllegalStateException(gguf + ": " + inputs.size() + " inputs but " + expected.size() + " outputs");
            }
            return new TokenizerVectors(List.copyOf(inputs), expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
