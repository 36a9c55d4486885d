package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned router's classifier on synthetic prompts whose label is known. */
class PromptClassifierTest {
    static final String[] FILLER = {"please", "tell", "me", "about", "the", "river", "city", "history", "of", "music", "cats",
            "weather", "summarise", "this", "short", "note", "explain", "why", "sky", "blue", "list", "three", "facts"};

    /** Random sentences from the filler words; about a third also contain "theorem", and those are the positives. */
    static List<String> prompts(Random r, int n, List<Boolean> labels) {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            StringBuilder b = new StringBuilder();
            int words = 4 + r.nextInt(10);
            boolean hard = r.nextInt(3) == 0;
            int at = r.nextInt(words);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    b.append(' ');
                }
                b.append(hard && w == at ? (r.nextBoolean() ? "theorem" : "Theorem") : FILLER[r.nextInt(FILLER.length)]);
            }
            out.add(b.toString());
            labels.add(hard);
        }
        return out;
    }

    @Test
    void learnsThatAWordMakesAPromptHard() {
        Random r = new Random(7);
        List<Boolean> trainLabels = new ArrayList<>();
        List<String> train = prompts(r, 400, trainLabels);
        List<PromptFeatures> x = train.stream().map(p -> PromptFeatures.of(p, 1024)).toList();
        boolean[] y = new boolean[x.size()];
        for (int j = 0; j < y.length; j++) {
            y[j] = trainLabels.get(j);
        }
        PromptClassifier c = PromptClassifier.fit(x, y, 1024);

        List<Boolean> testLabels = new ArrayList<>();
        List<String> test = prompts(new Random(8), 300, testLabels);
        int right = 0;
        for (int j = 0; j < test.size(); j++) {
            right += (c.probability(test.get(j)) > 0.5) == testLabels.get(j) ? 1 : 0;
        }
        assertTrue(right >= 294, "held-out prompts classified right: " + right + "/300");
        assertTrue(c.probability("tell me the theorem of music") > 0.8);
        assertTrue(c.probability("tell me the history of music") < 0.2);
        // the weight sits on the word and its own character n-grams: the 3 largest are all among them
        java.util.Set<Integer> ofTheWord = new java.util.HashSet<>();
        for (int b : PromptFeatures.of("theorem", 1024).buckets()) {
            ofTheWord.add(b);
        }
        List<Integer> top = c.sparseWeights().entrySet().stream()
                .sorted((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue()))).limit(3).map(e -> e.getKey()).toList();
        assertTrue(ofTheWord.containsAll(top), "largest weights " + top + " are n-grams of 'theorem' " + ofTheWord);
        assertTrue(c.weights()[PromptFeatures.bucket("w", "theorem", 0, 7, 1024)] > 0, "the word itself counts towards hard");
        assertTrue(c.sparseWeights().size() < 1024 / 2, "L1 leaves most buckets at 0: " + c.sparseWeights().size());
    }

    @Test
    void theSameDataGivesTheSameModel() {
        List<Boolean> labels = new ArrayList<>();
        List<PromptFeatures> x = prompts(new Random(3), 100, labels).stream().map(p -> PromptFeatures.of(p, 256)).toList();
        boolean[] y = new boolean[x.size()];
        for (int j = 0; j < y.length; j++) {
            y[j] = labels.get(j);
        }
        PromptClassifier a = PromptClassifier.fit(x, y, 256);
        PromptClassifier b = PromptClassifier.fit(x, y, 256);
        assertArrayEquals(a.weights(), b.weights());
        assertEquals(a.bias(), b.bias());
        // what a config stores (the non-zero weights) is the whole model
        PromptClassifier back = PromptClassifier.ofSparse(256, a.sparseWeights(), a.lengthWeight(), a.bias());
        assertEquals(a.probability("the theorem of cats"), back.probability("the theorem of cats"), 1e-15);
    }

    @Test
    void featuresAreFixedHashesOfWordsAndCharacterNgrams() {
        PromptFeatures f = PromptFeatures.of("Ab ab", 1 << 20);
        // words {ab}; character 1-, 2-, 3-grams of "ab ab": a b ' ' | ab "b " " a" | "ab " "b a" " ab"
        assertEquals(1 + 3 + 3 + 3, f.buckets().length);
        assertEquals(1 / Math.sqrt(10), f.values()[0], 1e-12);
        assertEquals(Math.log1p(5), f.logLength(), 1e-12);
        // FNV-1a is fixed: these buckets must never move, or trained weights would lose their meaning
        assertEquals(Math.floorMod(fnv("w\0ab"), 1 << 20), PromptFeatures.bucket("w", "ab", 0, 2, 1 << 20));
        assertNotEquals(PromptFeatures.bucket("w", "ab", 0, 2, 1 << 20), PromptFeatures.bucket("c", "ab", 0, 2, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> PromptFeatures.of("x", 0));
        assertThrows(IllegalArgumentException.class, () -> PromptClassifier.ofSparse(8, java.util.Map.of(8, 1.0), 0, 0));
    }

    private static int fnv(String s) {
        int h = 0x811c9dc5;
        for (char ch : s.toCharArray()) {
            h = (h ^ ch) * 0x01000193;
        }
        return h;
    }
}
