package dev.cascade.kernels.cuda.cublas;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The foreign-function binding against a fake cuBLAS compiled here with gcc (src/test/resources/
 * fake-cublas): libcublas.so.13 needs libcublasLt.so.13 by soname and has no RUNPATH, so it loads
 * only if libcublasLt was loaded first; the fake multiplies host memory column-major, so argument
 * order and types are checked by a real product; error statuses become exceptions naming the call.
 */
class CublasBindingTest {
    @TempDir
    static Path dir;
    static CublasLibrary library;

    @BeforeAll
    static void compileFake() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) || Files.isExecutable(Path.of("/usr/bin/cc")),
                "skipped: no C compiler to build the fake cuBLAS");
        String cc = Files.isExecutable(Path.of("/usr/bin/gcc")) ? "/usr/bin/gcc" : "/usr/bin/cc";
        for (String f : new String[] {"fake_cublas.c", "fake_cublas_lt.c"}) {
            try (InputStream in = CublasBindingTest.class.getResourceAsStream("/fake-cublas/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        run(cc, "-shared", "-fPIC", "-Wl,-soname,libcublasLt.so.13", "-o", "libcublasLt.so.13", "fake_cublas_lt.c");
        run(cc, "-shared", "-fPIC", "-Wl,-soname,libcublas.so.13", "-o", "libcublas.so.13", "fake_cublas.c",
                "-L.", "-l:libcublasLt.so.13");
        CublasLocator.Found found = CublasLocator.locate(new CublasLocator.Environment(dir.toString(), Map.of(),
                dir, dir));
        library = CublasLibrary.load(found);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    @Test
    void handleLifecycleAndSettings() throws Throwable {
        try (Cublas c = new Cublas(library)) {
            assertEquals(130100, c.version());
            c.setStream(0xabcdef0L);
            c.setMathMode(Cublas.DEFAULT_MATH);
            c.setWorkspace(0x1000, 32L << 20);
            SymbolLookup fake = SymbolLookup.libraryLookup(dir.resolve("libcublas.so.13"), Arena.global());
            Linker linker = Linker.nativeLinker();
            MemorySegment stream = (MemorySegment) linker.downcallHandle(fake.find("fake_stream_seen").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact();
            assertEquals(0xabcdef0L, stream.address());
            long bytes = (long) linker.downcallHandle(fake.find("fake_workspace_bytes_seen").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG)).invokeExact();
            assertEquals(32L << 20, bytes);
            CublasException e = assertThrows(CublasException.class, () -> c.setMathMode(3));
            assertTrue(e.getMessage().startsWith("cublasSetMathMode(3) failed: CUBLAS_STATUS_INVALID_VALUE (7): fake status"),
                    e.getMessage());
        }
    }

    /** out[r][j] = Σ_i w[j][i] · x[r][i], row-major, through cuBLAS's column-major view: C = Wᵀ-op · X. */
    @Test
    void rowMajorMatmulAsTheBackendIssuesIt() {
        int rows = 3;
        int in = 5;
        int out = 4;
        SplittableRandom random = new SplittableRandom(7);
        float[] w = new float[out * in];
        float[] x = new float[rows * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextDouble(-1, 1);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-1, 1);
        }
        try (Arena a = Arena.ofConfined(); Cublas c = new Cublas(library)) {
            MemorySegment wd = a.allocateFrom(ValueLayout.JAVA_FLOAT, w);
            MemorySegment xd = a.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment od = a.allocate(4L * rows * out);
            c.gemmEx(Cublas.OP_T, Cublas.OP_N, out, rows, in, wd.address(), Cublas.CUDA_R_32F, in,
                    xd.address(), Cublas.CUDA_R_32F, in, od.address(), Cublas.CUDA_R_32F, out);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    float want = 0;
                    for (int i = 0; i < in; i++) {
                        want += w[j * in + i] * x[r * in + i];
                    }
                    assertEquals(want, od.getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * out + j), 1e-5f);
                }
            }
            CublasException e = assertThrows(CublasException.class, () -> c.gemmEx(Cublas.OP_T, Cublas.OP_N, out, rows, in,
                    wd.address(), Cublas.CUDA_R_16F, in, xd.address(), Cublas.CUDA_R_16F, in, od.address(),
                    Cublas.CUDA_R_32F, out));
            assertTrue(e.getMessage().startsWith("cublasGemmEx(T, N, m=4, n=3, k=5, A=F16 lda=5, B=F16 ldb=5, C=F32 ldc=4, "
                    + "compute 32F) failed: CUBLAS_STATUS_NOT_SUPPORTED (15): the fake supports F32 and BF16 inputs only"),
                    e.getMessage());
        }
    }

    @Test
    void stridedBatchedPassesStridesAndCount() {
        int batch = 2;
        int n = 2;
        try (Arena a = Arena.ofConfined(); Cublas c = new Cublas(library)) {
            // two 2x2 products: A_b = (b+1)·I, B_b = [[1,2],[3,4]] column-major
            MemorySegment as = a.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 0, 0, 1, 2, 0, 0, 2);
            MemorySegment bs = a.allocateFrom(ValueLayout.JAVA_FLOAT, 1, 3, 2, 4, 1, 3, 2, 4);
            MemorySegment cs = a.allocate(4L * batch * n * n);
            c.gemmStridedBatchedEx(Cublas.OP_N, Cublas.OP_N, n, n, n, as.address(), Cublas.CUDA_R_32F, n, 4,
                    bs.address(), Cublas.CUDA_R_32F, n, 4, cs.address(), Cublas.CUDA_R_32F, n, 4, batch);
            float[] got = cs.toArray(ValueLayout.JAVA_FLOAT);
            assertEquals(java.util.List.of(1f, 3f, 2f, 4f, 2f, 6f, 4f, 8f),
                    java.util.stream.IntStream.range(0, got.length).mapToObj(i -> got[i]).toList());
        }
    }
}
