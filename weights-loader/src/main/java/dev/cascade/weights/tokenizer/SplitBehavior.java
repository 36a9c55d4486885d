package dev.cascade.weights.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * What a split does with the delimiters it finds (Hugging Face's SplitDelimiterBehavior): keep
 * each as its own piece, drop it, glue it to the piece before or after, or glue runs of
 * delimiters together.
 */
enum SplitBehavior {
    ISOLATED, REMOVED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Isolated" -> ISOLATED;
            case "Removed" -> REMOVED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> throw new IllegalArgumentException("unknown split behavior '" + name + "'");
        };
    }

    /**
     * Cuts {@code piece} given the delimiter matches, {@code bounds} = start0, end0, start1, end1...
     * (sorted, not overlapping), and appends the non-empty results to {@code out}.
     */
    void split(PreToken piece, IntList bounds, boolean invert, List<PreToken> out) {
        String text = piece.text();
        // Segments covering the whole text: start, end, isDelimiter.
        List<int[]> segments = new ArrayList<>(bounds.size() + 1);
        int prev = 0;
        for (int k = 0; k < bounds.size(); k += 2) {
            int s = bounds.get(k);
            int e = bounds.get(k + 1);
            if (s > prev) {
                segments.add(new int[] {prev, s, invert ? 1 : 0});
            }
            segments.add(new int[] {s, e, invert ? 0 : 1});
            prev = e;
        }
        if (prev < text.length()) {
            segments.add(new int[] {prev, text.length(), invert ? 1 : 0});
        }
        List<int[]> kept = new ArrayList<>(segments.size());
        switch (this) {
            case ISOLATED -> kept.addAll(segments);
            case REMOVED -> {
                for (int[] s : segments) {
                    if (s[2] == 0) {
                        kept.add(s);
                    }
                }
            }
            case CONTIGUOUS -> {
                boolean previousMatch = false;
                for (int[] s : segments) {
                    boolean match = s[2] == 1;
                    if (match == previousMatch && !kept.isEmpty()) {
                        kept.getLast()[1] = s[1];
                    } else {
                        kept.add(s);
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previousMatch = false;
                for (int[] s : segments) {
                    boolean match = s[2] == 1;
                    if (match && !previousMatch && !kept.isEmpty()) {
                        kept.getLast()[1] = s[1];
                    } else {
                        kept.add(s);
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previousMatch = false;
                List<int[]> reversed = new ArrayList<>(segments.size());
                for (int k = segments.size() - 1; k >= 0; k--) {
                    int[] s = segments.get(k);
                    boolean match = s[2] == 1;
                    if (match && !previousMatch && !reversed.isEmpty()) {
                        reversed.getLast()[0] = s[0];
                    } else {
                        reversed.add(s);
                    }
                    previousMatch = match;
                }
                for (int k = reversed.size() - 1; k >= 0; k--) {
                    kept.add(reversed.get(k));
                }
            }
        }
        for (int[] s : kept) {
            if (s[1] > s[0]) {
                out.add(new PreToken(text.substring(s[0], s[1]), piece.atInputStart() && s[0] == 0));
            }
        }
    }
}
