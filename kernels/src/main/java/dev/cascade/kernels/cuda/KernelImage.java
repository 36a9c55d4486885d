package dev.cascade.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The compiled kernels: the fatbin resource kernels/build-cuda.sh writes during the build, and the
 * CUDA version of the toolkit that compiled it, which the driver must support.
 */
public record KernelImage(byte[] fatbin, CudaVersion builtWith, String targets) {
    static final String FATBIN = "/dev/cascade/kernels/cuda/cascade_kernels.fatbin";
    static final String PROPERTIES = "/dev/cascade/kernels/cuda/cascade_kernels.properties";

    /** The kernels on the class path, or why there are none. */
    public static KernelImage load() {
        byte[] fatbin = read(FATBIN);
        byte[] info = read(PROPERTIES);
        if (fatbin == null || info == null) {
            throw new CudaUnavailableException("the CUDA kernels were not built into this jar ("
                    + FATBIN.substring(1) + " is missing): nvcc was not found when it was built. Install the CUDA toolkit "
                    + "(or set CUDA_HOME to it) and rebuild with ./mvnw -B package");
        }
        Properties p = new Properties();
        try {
            p.load(new java.io.ByteArrayInputStream(info));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("cuda.version");
        if (version == null) {
            throw new CudaUnavailableException(PROPERTIES.substring(1) + " names no cuda.version; rebuild the kernels");
        }
        return new KernelImage(fatbin, CudaVersion.parse(version),
                p.getProperty("sass", "?") + " + " + p.getProperty("ptx", "?") + " PTX");
    }

    private static byte[] read(String resource) {
        try (InputStream in = KernelImage.class.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
