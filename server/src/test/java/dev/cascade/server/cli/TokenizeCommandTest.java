package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    @Test
    void llama2cModelWithItsTokenizer() {
        String bin = SharedPaths.require("models/stories260K/stories260K.bin");
        String tok = SharedPaths.require("models/stories260K/tok512.bin");
        CliRun run = CliRun.of("tokenize", "--model", bin, "--tokenizer", tok, "--text", "Once upon a time");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("1 403 407 261 378", run.line());

        CliRun plain = CliRun.of("tokenize", "--model", bin, "--tokenizer", tok, "--text", "Once upon a time", "--no-special");
        assertEquals("403 407 261 378", plain.line());
    }

    @Test
    void vocabularyOnlyGgufWithoutSpecialTokens() {
        String gguf = SharedPaths.require("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
        CliRun run = CliRun.of("tokenize", "--model", gguf, "--text", "Hello world", "--no-special");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("15043 3186", run.line());
        CliRun withBos = CliRun.of("tokenize", "--model", gguf, "--text", "Hello world");
        assertEquals("1 15043 3186", withBos.line());
    }

    /** The whole gpt-2 vector set through --jsonl in one process: one line of ids per input. */
    @Test
    void jsonlGivesOneLinePerString(@TempDir Path dir) throws Exception {
        String folder = SharedPaths.require("tokenizers/openai-community-gpt2");
        Path inp = Path.of(SharedPaths.require("tokenizer-vectors/ggml-vocab-gpt-2.gguf.inp"));
        Path expected = Path.of(SharedPaths.require("tokenizer-vectors/ggml-vocab-gpt-2.gguf.out"));
        List<String> inputs = new ArrayList<>(Arrays.asList(Files.readString(inp, StandardCharsets.UTF_8).split(SEPARATOR, -1)));
        inputs.removeLast();
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (String s : inputs) {
            lines.add(json.writeValueAsString(s));
        }
        Path jsonl = dir.resolve("inputs.jsonl");
        Files.write(jsonl, lines, StandardCharsets.UTF_8);

        CliRun run = CliRun.of("tokenize", "--model", folder, "--jsonl", jsonl.toString(), "--no-special");
        assertEquals(0, run.exitCode(), run.err());
        List<String> got = run.out().lines().map(String::trim).toList();
        List<String> want = Files.readAllLines(expected, StandardCharsets.UTF_8).stream().map(String::trim).toList();
        assertEquals(want, got);
    }

    @Test
    void decodeReadsTheIdsBack(@TempDir Path dir) throws Exception {
        String folder = SharedPaths.require("tokenizers/npm-lenml-llama3");
        String text = "Grüße, 世界! 🦙  tabs\tand\nnewlines";
        CliRun run = CliRun.of("tokenize", "--model", folder, "--text", text, "--no-special", "--decode");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(text + "\n", run.out());

        CliRun ids = CliRun.of("tokenize", "--model", folder, "--text", text, "--no-special");
        CliRun back = CliRun.of("tokenize", "--model", folder, "--ids", ids.line());
        assertEquals(text + "\n", back.out());
    }

    @Test
    void wordPieceVocabularyIsAClearError() {
        String gguf = SharedPaths.require("tokenizer-vectors/ggml-vocab-bert-bge.gguf");
        CliRun run = CliRun.of("tokenize", "--model", gguf, "--text", "hello");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("unsupported tokenizer model 'bert'"), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void missingFileIsAClearError() {
        CliRun run = CliRun.of("tokenize", "--model", "/nonexistent/model.gguf", "--text", "x");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("/nonexistent/model.gguf"), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void badJsonlLineNamesTheLine(@TempDir Path dir) throws Exception {
        String gguf = SharedPaths.require("tokenizer-vectors/ggml-vocab-gpt-2.gguf");
        Path jsonl = dir.resolve("bad.jsonl");
        Files.writeString(jsonl, "\"fine\"\n{\"not\": \"a string\"}\n");
        CliRun run = CliRun.of("tokenize", "--model", gguf, "--jsonl", jsonl.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("line 2"), run.err());
    }

    @Test
    void fileIsEncodedAsOneText(@TempDir Path dir) throws Exception {
        String folder = SharedPaths.require("tokenizers/TinyLlama-TinyLlama-1.1B-Chat-v1.0");
        Path file = dir.resolve("text.txt");
        Files.writeString(file, "Hello world\nsecond line", StandardCharsets.UTF_8);
        CliRun fromFile = CliRun.of("tokenize", "--model", folder, "--file", file.toString());
        CliRun fromText = CliRun.of("tokenize", "--model", folder, "--text", "Hello world\nsecond line");
        assertEquals(0, fromFile.exitCode(), fromFile.err());
        assertEquals(fromText.out(), fromFile.out());
        assertTrue(fromFile.out().startsWith("1 15043 3186 13 "), fromFile.out());
    }
}
