package dev.cascade.kernels.cuda.cublas;

import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.cuda.NativeLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where cuBLAS is looked for, in which order, and what the user is told when it is not found: fake files in temp folders. */
class CublasLocatorTest {
    @TempDir
    Path tmp;

    private Path root() throws IOException {
        return Files.createDirectories(tmp.resolve("root"));
    }

    private static Path pair(Path folder, int major) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("libcublasLt.so." + major), "fake");
        return Files.writeString(folder.resolve("libcublas.so." + major), "fake");
    }

    private CublasLocator.Environment env(String property, Map<String, String> vars) throws IOException {
        return new CublasLocator.Environment(property, vars, Files.createDirectories(tmp.resolve("home")), root());
    }

    @Test
    void theGivenFolderComesFirstAndIsTheOnlyPlaceSearched() throws IOException {
        Path given = tmp.resolve("given");
        pair(given, 12);
        pair(root().resolve("usr/local/cuda/lib64"), 13);
        CublasLocator.Found f = CublasLocator.locate(env(given.toString(), Map.of()));
        assertEquals(given.resolve("libcublas.so.12"), f.cublas());
        assertEquals(given.resolve("libcublasLt.so.12"), f.cublasLt());
        assertEquals(12, f.major());
        assertTrue(f.where().contains("cascade.cublas.path"), f.where());
    }

    @Test
    void thePropertyWinsOverTheEnvironmentVariable() throws IOException {
        Path byProperty = tmp.resolve("p");
        Path byEnv = tmp.resolve("e");
        pair(byProperty, 13);
        pair(byEnv, 13);
        assertEquals(byProperty.resolve("libcublas.so.13"),
                CublasLocator.locate(env(byProperty.toString(), Map.of(CublasLocator.ENV, byEnv.toString()))).cublas());
        CublasLocator.Found f = CublasLocator.locate(env(null, Map.of(CublasLocator.ENV, byEnv.toString())));
        assertEquals(byEnv.resolve("libcublas.so.13"), f.cublas());
        assertTrue(f.where().startsWith(CublasLocator.ENV), f.where());
    }

    @Test
    void aGivenFileNeedsItsLtBesideIt() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("f"));
        Path file = Files.writeString(folder.resolve("libcublas.so.13"), "fake");
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CublasLocator.locate(env(file.toString(), Map.of())));
        assertTrue(e.getMessage().contains("no libcublasLt.so.13 beside"), e.getMessage());
        Files.writeString(folder.resolve("libcublasLt.so.13"), "fake");
        assertEquals(file, CublasLocator.locate(env(file.toString(), Map.of())).cublas());
    }

    @Test
    void aGivenPathThatIsWrongIsAnErrorNotASearch() throws IOException {
        pair(root().resolve("usr/local/cuda/lib64"), 13);
        CudaUnavailableException missing = assertThrows(CudaUnavailableException.class,
                () -> CublasLocator.locate(env(tmp.resolve("nowhere").toString(), Map.of())));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CudaUnavailableException none = assertThrows(CudaUnavailableException.class,
                () -> CublasLocator.locate(env(null, Map.of(CublasLocator.ENV, empty.toString()))));
        assertTrue(none.getMessage().startsWith(CublasLocator.ENV + "=" + empty), none.getMessage());
        Path other = Files.writeString(tmp.resolve("libfoo.so"), "x");
        CudaUnavailableException wrongFile = assertThrows(CudaUnavailableException.class,
                () -> CublasLocator.locate(env(other.toString(), Map.of())));
        assertTrue(wrongFile.getMessage().contains("is not libcublas.so.13 or libcublas.so.12"), wrongFile.getMessage());
    }

    @Test
    void version13IsPreferredWithinAFolderAndVersionSuffixedFilesCount() throws IOException {
        Path lib = root().resolve("usr/local/cuda/lib64");
        pair(lib, 12);
        Files.writeString(lib.resolve("libcublas.so.13.1.0.3"), "fake");
        Files.writeString(lib.resolve("libcublasLt.so.13.1.0.3"), "fake");
        CublasLocator.Found f = CublasLocator.locate(env(null, Map.of()));
        assertEquals(13, f.major());
        assertEquals(lib.resolve("libcublas.so.13.1.0.3"), f.cublas());
    }

    @Test
    void searchOrder() throws IOException {
        Path ld = tmp.resolve("ld");
        Path cudaHome = tmp.resolve("toolkit");
        Path venv = tmp.resolve("venv");
        Path bin = Files.createDirectories(tmp.resolve("opt/torch/.venv/bin"));
        Files.writeString(bin.resolve("python3"), "#!");
        Map<String, String> vars = new HashMap<>();
        vars.put("LD_LIBRARY_PATH", ld + "::/x");
        vars.put("CUDA_HOME", cudaHome.toString());
        vars.put("VIRTUAL_ENV", venv.toString());
        vars.put("PATH", bin + ":/usr/bin");
        Files.createDirectories(root().resolve("usr/local/cuda-12.8"));
        Files.createDirectories(root().resolve("usr/local/cuda-13.0"));
        Files.createDirectories(root().resolve("usr/local/cuda-12.10"));
        Files.createDirectories(root().resolve("usr/lib/python3.9"));
        Files.createDirectories(root().resolve("usr/lib/python3.12"));
        Files.createDirectories(venv.resolve("lib/python3.11"));
        Files.createDirectories(tmp.resolve("opt/torch/.venv/lib/python3.12"));
        var folders = CublasLocator.searchFolders(env(null, vars)).stream().map(Path::toString).toList();
        int i = 0;
        assertEquals(ld.toString(), folders.get(i++));
        assertEquals("/x", folders.get(i++));
        assertEquals(cudaHome.resolve("lib64").toString(), folders.get(i++));
        assertEquals(cudaHome.resolve("targets/x86_64-linux/lib").toString(), folders.get(i++));
        assertTrue(folders.indexOf(root().resolve("usr/local/cuda/lib64").toString()) < folders.indexOf(
                root().resolve("usr/local/cuda-13.0/lib64").toString()));
        assertTrue(folders.indexOf(root().resolve("usr/local/cuda-13.0/lib64").toString()) < folders.indexOf(
                root().resolve("usr/local/cuda-12.10/lib64").toString()));
        assertTrue(folders.indexOf(root().resolve("usr/local/cuda-12.10/lib64").toString()) < folders.indexOf(
                root().resolve("usr/local/cuda-12.8/lib64").toString()));
        int venvCu13 = folders.indexOf(venv.resolve("lib/python3.11/site-packages/nvidia/cu13/lib").toString());
        int pathPython = folders.indexOf(tmp.resolve("opt/torch/.venv/lib/python3.12/site-packages/nvidia/cublas/lib").toString());
        int system312 = folders.indexOf(root().resolve("usr/lib/python3.12/dist-packages/nvidia/cu13/lib").toString());
        int system39 = folders.indexOf(root().resolve("usr/lib/python3.9/site-packages/nvidia/cu12/lib").toString());
        int systemLib = folders.indexOf(root().resolve("usr/lib/x86_64-linux-gnu").toString());
        assertTrue(systemLib >= 0 && systemLib < venvCu13, folders.toString());
        assertTrue(venvCu13 >= 0 && venvCu13 < pathPython, folders.toString());
        assertTrue(pathPython < system312 && system312 < system39, folders.toString());
    }

    @Test
    void findsPyTorchsWheelsInAPythonOnThePath() throws IOException {
        Path prefix = tmp.resolve("opt/torch/.venv");
        Path bin = Files.createDirectories(prefix.resolve("bin"));
        Files.writeString(bin.resolve("python3"), "#!");
        Path lib = prefix.resolve("lib/python3.12/site-packages/nvidia/cu13/lib");
        pair(lib, 13);
        CublasLocator.Found f = CublasLocator.locate(env(null, Map.of("PATH", bin + ":/usr/bin")));
        assertEquals(lib.resolve("libcublas.so.13"), f.cublas());
        assertEquals(lib.toString(), f.where());
    }

    @Test
    void notFoundSaysWhereItLookedAndWhatToSet() throws IOException {
        Path ld = Files.createDirectories(tmp.resolve("ld"));
        Files.writeString(ld.resolve("libcublas.so.13"), "fake"); // but no libcublasLt
        Files.createDirectories(root().resolve("usr/local/cuda/lib64"));
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class,
                () -> CublasLocator.locate(env(null, Map.of("LD_LIBRARY_PATH", ld.toString()))));
        String m = e.getMessage();
        assertTrue(m.startsWith("cuBLAS not found"), m);
        assertTrue(m.contains(ld.toString()) && m.contains(root().resolve("usr/local/cuda/lib64").toString()), m);
        assertTrue(m.contains("has libcublas.so.13 but no libcublasLt.so.13"), m);
        assertTrue(m.contains("-D" + CublasLocator.PROPERTY) && m.contains(CublasLocator.ENV), m);
    }

    @Test
    void aFileThatIsNotALibrarySaysWhyItWillNotLoad() throws IOException {
        Path fake = Files.writeString(tmp.resolve("libcublas.so.13"), "not an ELF file at all, but long enough to be read");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLibrary.open(fake, java.lang.foreign.Arena.global()));
        assertTrue(e.getMessage().contains(fake.toString()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("elf") || e.getMessage().contains("too short"), e.getMessage());
    }
}
