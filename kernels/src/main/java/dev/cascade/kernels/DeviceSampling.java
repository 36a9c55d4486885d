package dev.cascade.kernels;

/**
 * Token choice done by the backend, for the rows whose logits a step computes: per row the
 * sampling settings and a uniform draw in, the chosen token and its log-probability out. Filled by
 * the engine every step (arrays sized once), so a step allocates nothing.
 *
 * <p>The choice is the host sampler's, for the settings a device takes (no penalties, no min-p, no
 * alternatives reported): temperature 0 is the argmax with ties to the lower id; otherwise the
 * probabilities at that temperature, cut to the top-k (k &gt; 0) and then to the top-p nucleus
 * (p &lt; 1), and the token where the running sum, most likely first (in id order when neither cut
 * applies), passes {@code uniform × kept mass}. The log-probability is under the model's own
 * distribution (temperature 1, nothing cut). A row the backend leaves to the host gets token -1.
 */
public final class DeviceSampling {
    public final float[] temperature;
    public final int[] topK;
    public final float[] topP;
    public final double[] uniform;
    public final int[] token;
    public final float[] logprob;

    public DeviceSampling(int capacity) {
        temperature = new float[capacity];
        topK = new int[capacity];
        topP = new float[capacity];
        uniform = new double[capacity];
        token = new int[capacity];
        logprob = new float[capacity];
    }

    public int capacity() {
        return token.length;
    }

    /** Sets row r's settings. */
    public void set(int r, float temperature, int topK, float topP, double uniform) {
        this.temperature[r] = temperature;
        this.topK[r] = topK;
        this.topP[r] = topP;
        this.uniform[r] = uniform;
    }

    /** Whether the backend chose every one of the first {@code rows} tokens. */
    public boolean allChosen(int rows) {
        for (int r = 0; r < rows; r++) {
            if (token[r] < 0) {
                return false;
            }
        }
        return true;
    }
}
