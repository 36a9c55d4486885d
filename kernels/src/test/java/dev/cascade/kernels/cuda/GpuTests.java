package dev.cascade.kernels.cuda;

import org.junit.jupiter.api.Assumptions;

/** Opens the CUDA backend for a test, or skips the test saying why no GPU is usable. */
public final class GpuTests {
    private GpuTests() {
    }

    public static CudaBackend openOrSkip(WeightPrecision precision) {
        try {
            return CudaBackend.open(Integer.getInteger("cascade.cuda.device", 0), precision);
        } catch (CudaUnavailableException e) {
            Assumptions.abort("skipped: no usable GPU: " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    /** ‖a − b‖ / ‖b‖ over the first n values. */
    public static double relativeError(float[] a, float[] b, int n) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            if (Float.isNaN(a[i]) || Float.isNaN(b[i])) {
                return Double.NaN;
            }
            double d = (double) a[i] - b[i];
            diff += d * d;
            norm += (double) b[i] * b[i];
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }
}
