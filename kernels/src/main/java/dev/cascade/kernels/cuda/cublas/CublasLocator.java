package dev.cascade.kernels.cuda.cublas;

import dev.cascade.kernels.cuda.CudaUnavailableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds cuBLAS ({@code libcublas.so.13} or {@code libcublas.so.12}, with the {@code libcublasLt}
 * of the same version beside it) in, in order:
 * <ol>
 * <li>the path the user gives: system property {@value #PROPERTY}, else environment variable
 * {@value #ENV} (a folder, or the libcublas file itself); when given, nothing else is searched;
 * <li>the folders of {@code LD_LIBRARY_PATH};
 * <li>the CUDA toolkit: {@code $CUDA_HOME} (and {@code $CUDA_PATH}), {@code /usr/local/cuda} and
 * {@code /usr/local/cuda-*} (newest first), each {@code lib64}, {@code targets/x86_64-linux/lib}
 * and {@code lib};
 * <li>the system library folders ({@code /usr/lib/x86_64-linux-gnu}, {@code /usr/lib64});
 * <li>Python environments, where PyTorch's wheels put cuBLAS: {@code nvidia/cu13/lib},
 * {@code nvidia/cublas/lib} and {@code nvidia/cu12/lib} under {@code lib/python3*}/{site,dist}-packages
 * of {@code $VIRTUAL_ENV}, {@code $CONDA_PREFIX}, the prefix of every {@code python3} on
 * {@code PATH}, {@code ~/.local}, {@code /usr/local}, {@code /usr} and {@code /opt/conda}.
 * </ol>
 * In each folder version 13 is preferred to 12; the first folder holding a usable pair wins.
 */
public final class CublasLocator {
    public static final String PROPERTY = "cascade.cublas.path";
    public static final String ENV = "CASCADE_CUBLAS_PATH";
    static final int[] MAJORS = {13, 12};
    private static final Pattern FILE_MAJOR = Pattern.compile("libcublas\\.so\\.(\\d+)(\\..*)?");

    /** What the search reads, so tests can give their own: {@code root} stands for "/". */
    public record Environment(String property, Map<String, String> env, Path home, Path root) {
        public static Environment current() {
            return new Environment(System.getProperty(PROPERTY), System.getenv(), Path.of(System.getProperty("user.home")),
                    Path.of("/"));
        }

        String env(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v;
        }

        Path system(String absolute) {
            return root.resolve(absolute.substring(1));
        }
    }

    /** A usable pair: load {@code cublasLt} first, then {@code cublas}. */
    public record Found(Path cublas, Path cublasLt, int major, String where) {
    }

    private CublasLocator() {
    }

    public static Found locate() {
        return locate(Environment.current());
    }

    public static Found locate(Environment e) {
        String explicit = e.property() != null && !e.property().isBlank() ? e.property() : e.env(ENV);
        if (explicit != null) {
            String source = e.property() != null && !e.property().isBlank() ? "-D" + PROPERTY : ENV;
            return explicit(Path.of(explicit), source + "=" + explicit);
        }
        List<String> notes = new ArrayList<>();
        List<Path> folders = searchFolders(e);
        for (Path folder : folders) {
            Found f = inFolder(folder, notes);
            if (f != null) {
                return f;
            }
        }
        List<Path> existing = folders.stream().filter(Files::isDirectory).toList();
        throw new CudaUnavailableException("cuBLAS not found: no libcublas.so.13 or libcublas.so.12 with its libcublasLt "
                + "beside it in LD_LIBRARY_PATH, $CUDA_HOME, /usr/local/cuda*/{lib64,targets/x86_64-linux/lib}, the system "
                + "library folders, or the nvidia/{cu13,cublas,cu12}/lib folders of Python environments ("
                + (existing.isEmpty() ? "none of these folders exists" : "searched: " + String.join(", ",
                        existing.stream().map(Path::toString).toList()))
                + ")." + (notes.isEmpty() ? "" : " " + String.join(" ", notes))
                + " Point -D" + PROPERTY + " or " + ENV + " at the folder that holds it "
                + "(find / -name 'libcublas.so.1[23]*' shows where it is).");
    }

    private static Found explicit(Path given, String source) {
        if (Files.isDirectory(given)) {
            List<String> notes = new ArrayList<>();
            Found f = inFolder(given, notes);
            if (f == null) {
                throw new CudaUnavailableException(source + ": no libcublas.so.13 or libcublas.so.12 with its libcublasLt in "
                        + given + (notes.isEmpty() ? "" : ": " + String.join(" ", notes)));
            }
            return new Found(f.cublas(), f.cublasLt(), f.major(), source);
        }
        if (!Files.isRegularFile(given)) {
            throw new CudaUnavailableException(source + ": " + given + " does not exist");
        }
        Matcher m = FILE_MAJOR.matcher(given.getFileName().toString());
        if (!m.matches()) {
            throw new CudaUnavailableException(source + ": " + given.getFileName()
                    + " is not libcublas.so.13 or libcublas.so.12 (give the file or its folder)");
        }
        int major = Integer.parseInt(m.group(1));
        Path lt = versioned(given.getParent(), "libcublasLt.so." + major);
        if (lt == null) {
            throw new CudaUnavailableException(source + ": no libcublasLt.so." + major + " beside " + given
                    + "; cuBLAS needs it from the same release");
        }
        return new Found(given, lt, major, source);
    }

    /** The first version, 13 then 12, whose pair is complete in this folder; notes what is half there. */
    static Found inFolder(Path folder, List<String> notes) {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        for (int major : MAJORS) {
            Path cublas = versioned(folder, "libcublas.so." + major);
            if (cublas == null) {
                continue;
            }
            Path lt = versioned(folder, "libcublasLt.so." + major);
            if (lt == null) {
                notes.add(folder + " has " + cublas.getFileName() + " but no libcublasLt.so." + major + ".");
                continue;
            }
            return new Found(cublas, lt, major, folder.toString());
        }
        return null;
    }

    /** folder/name, else the first folder/name.* (a toolkit's libcublas.so.13.1.0.3 without its link). */
    private static Path versioned(Path folder, String name) {
        Path exact = folder.resolve(name);
        if (Files.exists(exact)) {
            return exact;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + ".")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Every folder searched, in order, without repeats (existing or not). */
    public static List<Path> searchFolders(Environment e) {
        Set<Path> out = new LinkedHashSet<>();
        String ld = e.env("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    out.add(Path.of(d));
                }
            }
        }
        List<Path> toolkits = new ArrayList<>();
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            if (e.env(var) != null) {
                toolkits.add(Path.of(e.env(var)));
            }
        }
        Path usrLocal = e.system("/usr/local");
        toolkits.add(usrLocal.resolve("cuda"));
        toolkits.addAll(children(usrLocal, "cuda-", CublasLocator::newestVersionFirst));
        for (Path t : toolkits) {
            out.add(t.resolve("lib64"));
            out.add(t.resolve("targets/x86_64-linux/lib"));
            out.add(t.resolve("lib"));
        }
        out.add(e.system("/usr/lib/x86_64-linux-gnu"));
        out.add(e.system("/usr/lib64"));
        for (Path prefix : pythonPrefixes(e)) {
            for (Path lib : List.of(prefix.resolve("lib"), prefix.resolve("lib64"))) {
                for (Path python : children(lib, "python3", CublasLocator::newestVersionFirst)) {
                    for (String packages : List.of("site-packages", "dist-packages")) {
                        Path nvidia = python.resolve(packages).resolve("nvidia");
                        out.add(nvidia.resolve("cu13/lib"));
                        out.add(nvidia.resolve("cublas/lib"));
                        out.add(nvidia.resolve("cu12/lib"));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Path> pythonPrefixes(Environment e) {
        Set<Path> prefixes = new LinkedHashSet<>();
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            if (e.env(var) != null) {
                prefixes.add(Path.of(e.env(var)));
            }
        }
        String path = e.env("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (d.isBlank()) {
                    continue;
                }
                Path dir = Path.of(d);
                if ((Files.exists(dir.resolve("python3")) || Files.exists(dir.resolve("python"))) && dir.getParent() != null) {
                    prefixes.add(dir.getParent());
                }
            }
        }
        prefixes.add(e.home().resolve(".local"));
        prefixes.add(e.system("/usr/local"));
        prefixes.add(e.system("/usr"));
        prefixes.add(e.system("/opt/conda"));
        return List.copyOf(prefixes);
    }

    /** Sub-folders of {@code dir} whose names start with {@code prefix}, in the given order. */
    private static List<Path> children(Path dir, String prefix, Comparator<Path> order) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).sorted(order).toList();
        } catch (IOException ex) {
            return List.of();
        }
    }

    /** Version numbers compared as numbers, newest first: cuda-13.0, cuda-12.10, cuda-12.8, python3.12, python3.9. */
    static int newestVersionFirst(Path a, Path b) {
        List<Integer> va = numbers(a.getFileName().toString());
        List<Integer> vb = numbers(b.getFileName().toString());
        for (int i = 0; i < Math.max(va.size(), vb.size()); i++) {
            int x = i < va.size() ? va.get(i) : -1;
            int y = i < vb.size() ? vb.get(i) : -1;
            if (x != y) {
                return Integer.compare(y, x);
            }
        }
        return a.compareTo(b);
    }

    private static List<Integer> numbers(String name) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\d+").matcher(name);
        while (m.find()) {
            out.add(Integer.parseInt(m.group()));
        }
        return out;
    }
}
