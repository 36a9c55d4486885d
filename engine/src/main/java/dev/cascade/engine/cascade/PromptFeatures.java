package dev.cascade.engine.cascade;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What the learned router sees of a prompt: its lower-cased words and character 1- to 3-grams,
 * hashed into {@code buckets} (presence only, scaled to unit length so that a long prompt's many
 * n-grams do not outweigh a short one's few), and the log of its length in characters, kept apart
 * so that length is one weight of its own.
 *
 * <p>The hash is FNV-1a over the n-gram's characters, fixed here rather than
 * {@link String#hashCode}, so that trained weights keep their meaning across versions.
 *
 * @param buckets which buckets are present, ascending
 * @param values  their values (all equal: 1 / sqrt(number of buckets present))
 * @param logLength log(1 + characters)
 */
public record PromptFeatures(int[] buckets, double[] values, double logLength) {

    public static final int MAX_NGRAM = 3;

    public PromptFeatures {
        buckets = buckets.clone();
        values = values.clone();
    }

    public static PromptFeatures of(String prompt, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("the router needs at least one bucket, got " + buckets);
        }
        String text = prompt.toLowerCase(Locale.ROOT);
        TreeSet<Integer> present = new TreeSet<>();
        for (String word : text.split("\\s+")) {
            if (!word.isEmpty()) {
                present.add(bucket("w", word, 0, word.length(), buckets));
            }
        }
        for (int n = 1; n <= MAX_NGRAM; n++) {
            for (int i = 0; i + n <= text.length(); i++) {
                present.add(bucket("c", text, i, i + n, buckets));
            }
        }
        int[] ids = present.stream().mapToInt(Integer::intValue).toArray();
        double[] v = new double[ids.length];
        Arrays.fill(v, ids.length == 0 ? 0 : 1 / Math.sqrt(ids.length));
        return new PromptFeatures(ids, v, Math.log1p(prompt.length()));
    }

    /** FNV-1a (32 bits) over a kind prefix and the n-gram's characters, so words and n-grams hash apart. */
    static int bucket(String kind, String text, int from, int to, int buckets) {
        int h = 0x811c9dc5;
        for (int i = 0; i < kind.length(); i++) {
            h = (h ^ kind.charAt(i)) * 0x01000193;
        }
        h = (h ^ 0) * 0x01000193; // separator: "w" + "ab" and "wa" + "b" differ
        for (int i = from; i < to; i++) {
            h = (h ^ text.charAt(i)) * 0x01000193;
        }
        return Math.floorMod(h, buckets);
    }
}
