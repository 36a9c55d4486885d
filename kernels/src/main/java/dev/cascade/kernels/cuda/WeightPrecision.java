package dev.cascade.kernels.cuda;

import dev.cascade.weights.DType;

import java.util.Locale;

/**
 * The dtype each stored weight matrix takes on the GPU, where cuBLAS multiplies it (vectors, the
 * norm gains and biases, are always float32).
 *
 * <ul>
 * <li>{@link #BF16}, the default: BF16 and F16 stay as they are; F32, Q8_0 and Q4_0 become BF16
 * (half the memory of F32, and cuBLAS has no kernel for ggml's quantized blocks). Activations are
 * rounded to the weight's type just before each product, accumulation is float32: logits land
 * about 1e-2 (relative) from the CPU backend's.
 * <li>{@link #F32}: every matrix becomes float32 and products run in plain float32 (no TF32): twice
 * the memory of BF16, for checking the GPU path against the CPU backend to float32 accuracy.
 * </ul>
 * Chosen by {@code -D}{@value #PROPERTY}{@code =bf16|f32}.
 */
public enum WeightPrecision {
    BF16,
    F32;

    public static final String PROPERTY = "cascade.cuda.weights";

    public static WeightPrecision fromProperty() {
        String v = System.getProperty(PROPERTY, "bf16").trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + ": use bf16 or f32");
        }
    }

    /** The device dtype of a matrix stored as {@code stored}: F32, F16 or BF16. */
    public DType deviceType(DType stored) {
        if (this == F32) {
            return DType.F32;
        }
        return switch (stored) {
            case F16 -> DType.F16;
            case BF16, F32, Q8_0, Q4_0 -> DType.BF16;
        };
    }

    /** Bytes one element takes on the device. */
    static int bytes(DType deviceType) {
        return deviceType == DType.F32 ? 4 : 2;
    }
}
