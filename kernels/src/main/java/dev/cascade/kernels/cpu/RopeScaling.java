package dev.cascade.kernels.cpu;

/**
 * Llama 3's RoPE frequency scaling ("rope_type": "llama3" in config.json): long wavelengths are
 * slowed by {@code factor}, short ones kept, and the band between blended smoothly.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    public RopeScaling {
        if (factor <= 0 || lowFreqFactor <= 0 || highFreqFactor <= lowFreqFactor || originalMaxPositions <= 0) {
            throw new IllegalArgumentException("bad llama3 rope scaling: " + factor + ", " + lowFreqFactor
                    + ", " + highFreqFactor + ", " + originalMaxPositions);
        }
    }

    /** The scaled version of inverse frequency {@code freq} (radians per position). */
    public double scale(double freq) {
        double wavelen = 2 * Math.PI / freq;
        double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
        double highFreqWavelen = originalMaxPositions / highFreqFactor;
        if (wavelen < highFreqWavelen) {
            return freq;
        }
        if (wavelen > lowFreqWavelen) {
            return freq / factor;
        }
        double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * freq / factor + smooth * freq;
    }
}
