package dev.cascade.kernels.cuda;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fatbin the build compiled: present whenever this machine has nvcc (where build-cuda.sh looks
 * for it), well-formed, with SASS for every architecture we ship and PTX for the newest, and
 * defining every kernel the backend launches in each of them.
 */
class FatbinResourceTest {

    static boolean nvccHere() {
        String cudaHome = System.getenv("CUDA_HOME");
        Stream<Path> candidates = Stream.concat(
                Stream.of(cudaHome == null ? null : Path.of(cudaHome, "bin/nvcc"), Path.of("/usr/local/cuda/bin/nvcc")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).filter(d -> !d.isEmpty())
                        .map(d -> Path.of(d, "nvcc")));
        return candidates.anyMatch(p -> p != null && Files.isExecutable(p));
    }

    @Test
    void builtWhereNvccIs() {
        assumeTrue(nvccHere(), "skipped: no nvcc on this machine, so the build made no fatbin");
        assumeTrue(!Boolean.getBoolean("cascade.cuda.skip"), "skipped: built with -Dcascade.cuda.skip=true");
        KernelImage image = KernelImage.load();
        Fatbin fatbin = Fatbin.parse(image.fatbin());
        assertEquals(List.of("sm_80", "sm_86", "sm_89", "sm_90", "compute_90"), fatbin.targets().stream().sorted(
                (a, b) -> a.startsWith("compute") == b.startsWith("compute") ? a.compareTo(b) : a.startsWith("compute") ? 1 : -1)
                .toList());
        assertTrue(image.builtWith().major() >= 11, "toolkit version " + image.builtWith());
        List<String> missing = new ArrayList<>();
        for (Fatbin.Entry e : fatbin.entries()) {
            assertFalse(e.compressed(), e.target() + " compressed");
            for (Kernel k : Kernel.values()) {
                if (!Fatbin.defines(image.fatbin(), e, k.symbol())) {
                    missing.add(k.symbol() + " in " + e.target());
                }
            }
        }
        assertEquals(List.of(), missing, "kernels the backend launches but the fatbin lacks");
    }

    @Test
    void elfEntriesAreElfImages() {
        assumeTrue(nvccHere(), "skipped: no nvcc on this machine");
        assumeTrue(!Boolean.getBoolean("cascade.cuda.skip"), "skipped: built with -Dcascade.cuda.skip=true");
        byte[] bytes = KernelImage.load().fatbin();
        for (Fatbin.Entry e : Fatbin.parse(bytes).entries()) {
            if (e.kind() == Fatbin.Kind.ELF) {
                int p = e.payloadOffset();
                assertTrue(bytes[p] == 0x7f && bytes[p + 1] == 'E' && bytes[p + 2] == 'L' && bytes[p + 3] == 'F',
                        e.target() + " payload is not an ELF image");
            } else {
                String text = new String(bytes, e.payloadOffset(), Math.min(4096, e.payloadSize()),
                        java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(text.contains(".target sm_90"), "PTX without .target sm_90: " + text.substring(0, 200));
            }
        }
    }
}
