package dev.cascade.engine.sampling;

import java.util.Arrays;

/**
 * Counts of the tokens a sequence has seen, for the penalties: prompt and generated separately
 * (the repetition penalty looks at both, presence and frequency at the generated ones only).
 * Sized once per sequence; updating it allocates nothing.
 */
public final class TokenHistory {
    private final int[] generatedCounts;
    private final boolean[] seen;
    /** Ids with a non-zero entry, so penalties touch only them. */
    private final int[] touched;
    private int touchedCount;

    public TokenHistory(int vocabSize) {
        generatedCounts = new int[vocabSize];
        seen = new boolean[vocabSize];
        touched = new int[vocabSize];
    }

    public void addPrompt(int token) {
        mark(token);
    }

    public void addGenerated(int token) {
        mark(token);
        generatedCounts[token]++;
    }

    private void mark(int token) {
        if (!seen[token]) {
            seen[token] = true;
            touched[touchedCount++] = token;
        }
    }

    public int size() {
        return touchedCount;
    }

    /** The i-th distinct token seen, in order of first appearance. */
    public int token(int i) {
        return touched[i];
    }

    public int generatedCount(int token) {
        return generatedCounts[token];
    }

    public void clear() {
        for (int i = 0; i < touchedCount; i++) {
            seen[touched[i]] = false;
            generatedCounts[touched[i]] = 0;
        }
        touchedCount = 0;
    }

    @Override
    public String toString() {
        return "TokenHistory" + Arrays.toString(Arrays.copyOf(touched, touchedCount));
    }
}
