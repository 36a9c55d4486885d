package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateCommandTest {

    static final String LLAMA2C_TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
            + "One day, she saw a big, red ball. She wanted to play with it, but it was too high.\n"
            + "Lily's mom said, \"Lily, let's go to the park.\" Lily was sad and didn't know what to do. "
            + "She said, \"I want to play with your ball, but I can't find";

    /** The issue's own check: exactly what llama2.c prints, then a newline. */
    @Test
    void greedyStoriesAsLlama2cPrintsThem() {
        String bin = SharedPaths.require("models/stories260K/stories260K.bin");
        String tok = SharedPaths.require("models/stories260K/tok512.bin");
        CliRun run = CliRun.of("generate", "--model", bin, "--tokenizer", tok, "--prompt", "Once upon a time",
                "--temperature", "0", "--max-tokens", "124");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(LLAMA2C_TEXT + "\n", run.out());
        assertTrue(run.err().contains("tokens/s"), run.err());
    }

    @Test
    void jsonPrintsOneObjectPerToken() throws Exception {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        CliRun run = CliRun.of("generate", "--model", gguf, "--prompt", "Once upon a time", "--temperature", "0",
                "--max-tokens", "20", "--json");
        assertEquals(0, run.exitCode(), run.err());
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        long lines = 0;
        for (String line : run.out().lines().toList()) {
            JsonNode o = json.readTree(line);
            assertTrue(o.get("id").asInt() >= 0);
            assertTrue(o.get("logprob").asDouble() <= 0);
            text.append(o.get("text").asText());
            lines++;
        }
        assertEquals(20, lines);
        assertTrue(LLAMA2C_TEXT.startsWith("Once upon a time" + text), text.toString());
    }

    @Test
    void seededSamplingRepeats() {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        CliRun a = CliRun.of("generate", "--model", gguf, "--prompt", "The dog", "--temperature", "1", "--seed", "7", "--max-tokens", "30");
        CliRun b = CliRun.of("generate", "--model", gguf, "--prompt", "The dog", "--temperature", "1", "--seed", "7", "--max-tokens", "30");
        CliRun c = CliRun.of("generate", "--model", gguf, "--prompt", "The dog", "--temperature", "1", "--seed", "8", "--max-tokens", "30");
        assertEquals(a.out(), b.out());
        assertTrue(!a.out().equals(c.out()), "another seed, another story");
    }

    @Test
    void stopStringEndsTheText() {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        CliRun run = CliRun.of("generate", "--model", gguf, "--prompt", "Once upon a time", "--temperature", "0",
                "--max-tokens", "124", "--stop", "Lily.");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("Once upon a time, there was a little girl named \n", run.out());
        assertTrue(run.err().contains("finish: stop"), run.err());
    }

    @Test
    void chatWithoutATemplateIsAClearError() {
        String gguf = SharedPaths.require("models/stories260K/stories260K.gguf");
        CliRun run = CliRun.of("generate", "--model", gguf, "--prompt", "Hi", "--chat");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no chat template"), run.err());
    }

    /** demo-tiny's chat template turns the user message into the prompt it was trained on. */
    @Test
    void chatThroughTheDemoModelsTemplate() {
        CliRun run = CliRun.of("generate", "--model", "demo-tiny", "--prompt", "38+47", "--chat", "--temperature", "0",
                "--max-tokens", "10");
        org.junit.jupiter.api.Assumptions.assumeTrue(!run.err().contains("not found"), "skipped: demo-tiny is not trained");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("38+47 85\n", run.out());
        assertTrue(run.err().contains("finish: stop"), run.err());
    }
}
