package dev.cascade.weights;

/**
 * Reorders the rows of a Q or K projection between the two RoPE layouts. Within each head of size
 * d, Hugging Face's rotate-half pairs rows (i, i + d/2); llama.cpp's convert_hf_to_gguf (its
 * {@code permute}) moves them to (2i, 2i + 1) so interleaved RoPE gives the same result.
 */
public final class RopePermutation {
    private RopePermutation() {
    }

    /** HALVES → INTERLEAVED: new row h*d + 2i + s is old row h*d + s*d/2 + i. {@code w} is [rows][cols]. */
    public static float[] toInterleaved(float[] w, int rows, int cols, int heads) {
        return permute(w, rows, cols, heads, true);
    }

    /** INTERLEAVED → HALVES, the inverse of {@link #toInterleaved}. */
    public static float[] toHalves(float[] w, int rows, int cols, int heads) {
        return permute(w, rows, cols, heads, false);
    }

    private static float[] permute(float[] w, int rows, int cols, int heads, boolean interleave) {
        if ((long) rows * cols != w.length || rows % heads != 0 || (rows / heads) % 2 != 0) {
            throw new IllegalArgumentException(rows + "x" + cols + " with " + heads + " heads of even size expected, got "
                    + w.length + " values");
        }
        int d = rows / heads;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < d / 2; i++) {
                for (int s = 0; s < 2; s++) {
                    int interleaved = h * d + 2 * i + s;
                    int halves = h * d + s * d / 2 + i;
                    int to = interleave ? interleaved : halves;
                    int from = interleave ? halves : interleaved;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }
}
