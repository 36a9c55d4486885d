package dev.cascade.kernels.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CUDA kernels, compiled for the CPU with g++ against a small emulation of CUDA's execution
 * model (src/test/resources/cuda-on-cpu: real threads per block, barriers, warp shuffles), run
 * with the backend's launch shapes against references in double: indexing, paging, splits and
 * numerics checked where there is no GPU. Races and speed are not (see cuda_on_cpu.h).
 */
class KernelsOnCpuTest {
    @TempDir
    Path dir;

    static Path kernelSources() {
        for (String candidate : List.of(System.getProperty("basedir", ".") + "/src/main/cuda", "src/main/cuda", "kernels/src/main/cuda")) {
            Path p = Path.of(candidate);
            if (Files.exists(p.resolve("cascade_kernels.cu"))) {
                return p;
            }
        }
        return null;
    }

    @Test
    void kernelsMatchTheirReferences() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/g++")), "skipped: no g++ to build the kernels for the CPU");
        Path sources = kernelSources();
        assumeTrue(sources != null, "skipped: the kernel sources are not here");
        for (String f : List.of("cuda_on_cpu.h", "cuda_fp16.h", "cuda_bf16.h", "math_constants.h", "kernels_on_cpu.cpp")) {
            try (InputStream in = KernelsOnCpuTest.class.getResourceAsStream("/cuda-on-cpu/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        String compiled = run(300, "/usr/bin/g++", "-std=c++20", "-O1", "-pthread", "-ffp-contract=off", "-Wno-unknown-pragmas",
                "-include", "cuda_on_cpu.h", "-I.", "-I" + sources.toAbsolutePath(), "kernels_on_cpu.cpp", "-o", "kernels_on_cpu");
        assumeTrue(compiled != null, "skipped: g++ cannot build C++20 with <barrier> here");
        Process p = new ProcessBuilder(dir.resolve("kernels_on_cpu").toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the kernels ran over 5 minutes on the CPU");
        System.out.print(out);
        assertTrue(out.contains("\n0 failed"), out);
        assertEquals(0, p.exitValue(), out);
    }

    /** Runs a command in the temp folder; null when it fails because the compiler lacks C++20 (its output goes to stdout). */
    private String run(int seconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        if (p.exitValue() != 0) {
            if (out.contains("barrier: No such file") || out.contains("unrecognized command-line option '-std=c++20'")) {
                System.out.println(out);
                return null;
            }
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
