package dev.cascade.kernels;

import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.kernels.reference.ScalarBackend;

import java.util.Locale;

/** Creates a backend by name: {@code auto}, {@code cpu}, {@code cuda}, or {@code scalar} (the slow reference). */
public final class Backends {
    private Backends() {
    }

    /** The backend and why it was chosen, for a line in the log. */
    public record Choice(Backend backend, String reason) {
    }

    public static Choice create(String name, int threads) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "scalar" -> new Choice(new ScalarBackend(), "scalar reference backend, as asked");
            case "cpu" -> new Choice(new CpuBackend(threads), "cpu (Vector API, " + threads + " threads), as asked");
            case "auto" -> new Choice(new CpuBackend(threads), "cpu (Vector API, " + threads
                    + " threads): the CUDA backend is not built yet");
            case "cuda" -> throw new UnsupportedOperationException("the CUDA backend is not built yet; use --backend cpu");
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; use auto, cpu, cuda or scalar");
        };
    }

    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
