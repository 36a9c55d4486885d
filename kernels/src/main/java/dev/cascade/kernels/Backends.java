package dev.cascade.kernels;

import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.kernels.cuda.CudaBackend;
import dev.cascade.kernels.cuda.CudaUnavailableException;
import dev.cascade.kernels.reference.ScalarBackend;

import java.util.Locale;

/**
 * Creates a backend by name: {@code auto} (CUDA when it is usable, else the CPU, saying why),
 * {@code cpu}, {@code cuda}, or {@code scalar} (the slow reference).
 */
public final class Backends {
    private Backends() {
    }

    /** The backend and why it was chosen, for a line in the log. */
    public record Choice(Backend backend, String reason) {
    }

    public static Choice create(String name, int threads) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "scalar" -> new Choice(new ScalarBackend(), "scalar reference backend, as asked");
            case "cpu" -> new Choice(new CpuBackend(threads), "cpu (Vector API " + CpuBackend.vectorBits() + "-bit, " + threads + " threads), as asked");
            case "cuda" -> {
                try {
                    CudaBackend cuda = CudaBackend.open();
                    yield new Choice(cuda, cuda.description() + ", as asked");
                } catch (CudaUnavailableException e) {
                    throw new UnsupportedOperationException("--backend cuda: the CUDA backend is unavailable: " + e.getMessage()
                            + ". Use --backend cpu or auto", e);
                }
            }
            case "auto" -> auto(threads);
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; use auto, cpu, cuda or scalar");
        };
    }

    /** CUDA when it opens; otherwise the CPU, with the reason CUDA did not (whatever it was: auto must not fail). */
    private static Choice auto(int threads) {
        String why;
        try {
            CudaBackend cuda = CudaBackend.open();
            return new Choice(cuda, cuda.description() + " (auto)");
        } catch (CudaUnavailableException e) {
            why = e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            why = "opening it failed: " + e;
        }
        return new Choice(new CpuBackend(threads), "cpu (Vector API " + CpuBackend.vectorBits() + "-bit, " + threads + " threads): CUDA unavailable: " + why);
    }

    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
