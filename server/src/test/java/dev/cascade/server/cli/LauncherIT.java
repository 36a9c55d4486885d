package dev.cascade.server.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ./cascade launcher as a user runs it, against the jar the build just packaged. */
class LauncherIT {

    private record Result(int code, String out, String err) {
    }

    private static Result launch(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("cascade.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("cascade").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void startsWithoutWarnings() throws Exception {
        Result r = launch("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("cascade "), r.out());
        assertEquals("", r.err(), "a normal start prints nothing on stderr");
    }

    @Test
    void tokenizesThroughTheLauncher() throws Exception {
        String bin = SharedPaths.require("models/stories260K/stories260K.bin");
        String tok = SharedPaths.require("models/stories260K/tok512.bin");
        Result r = launch("tokenize", "--model", bin, "--tokenizer", tok, "--text", "Once upon a time");
        assertEquals(0, r.code(), r.err());
        assertEquals("1 403 407 261 378\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void userErrorsExitWithOneLine() throws Exception {
        Result r = launch("inspect", "--model", "/nonexistent/file.gguf");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cascade: "), r.err());
    }
}
