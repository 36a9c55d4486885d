package dev.cascade.kernels;

import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.RopePairing;

/**
 * Rotary position embedding of one model: which elements pair up, and each pair's frequency with
 * Llama 3 scaling already applied. Pair i of a head turns by angle position × frequency(i).
 */
public record Rope(RopePairing pairing, int heads, int kvHeads, int headDim, double[] frequencies) {

    public Rope {
        frequencies = frequencies.clone();
        if (frequencies.length != headDim / 2) {
            throw new IllegalArgumentException("need " + headDim / 2 + " frequencies, got " + frequencies.length);
        }
    }

    @Override
    public double[] frequencies() {
        return frequencies.clone();
    }

    public double frequency(int i) {
        return frequencies[i];
    }

    public static Rope of(ModelConfig c) {
        return new Rope(c.ropePairing(), c.heads(), c.kvHeads(), c.headDim(),
                frequencies(c.headDim(), c.ropeTheta(), c.ropeScaling()));
    }

    /** Pair i turns by theta^(-2i/headDim) per position, rescaled by Llama 3's rule when given. */
    public static double[] frequencies(int headDim, double theta, ModelConfig.RopeScaling scaling) {
        double[] f = new double[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            double freq = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            f[i] = scaling == null ? freq : llama3(freq, scaling);
        }
        return f;
    }

    /** Llama 3.1's rule: long wavelengths slowed by the factor, short ones kept, a smooth blend between. */
    public static double llama3(double freq, ModelConfig.RopeScaling s) {
        double lowWavelen = s.originalContextLength() / s.lowFreqFactor();
        double highWavelen = s.originalContextLength() / s.highFreqFactor();
        double wavelen = 2 * Math.PI / freq;
        if (wavelen < highWavelen) {
            return freq;
        }
        if (wavelen > lowWavelen) {
            return freq / s.factor();
        }
        double smooth = (s.originalContextLength() / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
        return (1 - smooth) * freq / s.factor() + smooth * freq;
    }
}
