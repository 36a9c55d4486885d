package dev.cascade.weights.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** llama.cpp's ggml-vocab-NAME.gguf.inp / .out pairs (format in ../shared/tokenizer-vectors/README.md). */
record TokenizerVectors(List<String> inputs, List<int[]> expected) {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /** The vectors next to a vocab GGUF: {@code NAME.gguf.inp} and {@code NAME.gguf.out}. */
    static TokenizerVectors nextTo(Path gguf) {
        return read(gguf);
    }

    /** Reads {@code base}.inp and {@code base}.out, where base is the path of the .gguf (which need not exist). */
    static TokenizerVectors read(Path base) {
        try {
            String inp = Files.readString(Path.of(base + ".inp"), StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>();
            int from = 0;
            for (int at = inp.indexOf(SEPARATOR); at >= 0; at = inp.indexOf(SEPARATOR, from)) {
                inputs.add(inp.substring(from, at));
                from = at + SEPARATOR.length();
            }
            List<String> lines = Files.readAllLines(Path.of(base + ".out"), StandardCharsets.UTF_8);
            List<int[]> expected = new ArrayList<>();
            for (String line : lines) {
                String t = line.trim();
                expected.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray());
            }
            if (inputs.size() != expected.size()) {
                throw new IllegalStateException(base + ": " + inputs.size() + " inputs but " + expected.size() + " outputs");
            }
            return new TokenizerVectors(inputs, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Descriptions of every input whose encoding differs; empty when all pass. */
    List<String> failures(java.util.function.Function<String, int[]> encoder) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] actual = encoder.apply(inputs.get(i));
            if (!Arrays.equals(actual, expected.get(i))) {
                failures.add("#" + i + " " + escape(inputs.get(i)) + "\n   expected " + Arrays.toString(expected.get(i))
                        + "\n   actual   " + Arrays.toString(actual));
            }
        }
        return failures;
    }

    private static String escape(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + shown.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "'";
    }
}
