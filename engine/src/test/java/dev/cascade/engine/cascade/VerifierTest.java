package dev.cascade.engine.cascade;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifierTest {

    @Test
    void featuresOfAnAnswer() {
        double[] f = Verifier.features(new StageAnswer("{\"a\":1}", new float[] {-0.5f, -1.5f}));
        assertArrayEquals(new double[] {-1.0, -1.5, Math.log(3), 1}, f, 1e-9);
        double[] empty = Verifier.features(new StageAnswer("", new float[0]));
        assertArrayEquals(new double[] {-20, -20, 0, 0}, empty, 1e-9);
    }

    @Test
    void learnsThatConfidentAnswersAreRight() {
        // right answers: min logprob near 0; wrong ones: far below
        Random r = new Random(1);
        int n = 400;
        double[][] x = new double[n][];
        boolean[] right = new boolean[n];
        for (int j = 0; j < n; j++) {
            right[j] = j % 2 == 0;
            double min = right[j] ? -0.05 - 0.1 * r.nextDouble() : -1 - 2 * r.nextDouble();
            x[j] = new double[] {min / 2, min, Math.log1p(3 + r.nextInt(3)), 0};
        }
        Verifier v = Verifier.fit(x, right);
        int correct = 0;
        for (int j = 0; j < n; j++) {
            correct += (v.probability(x[j]) >= 0.5) == right[j] ? 1 : 0;
        }
        assertTrue(correct >= 390, "separable data should be learnt: " + correct + "/" + n);
        assertTrue(v.score(new StageAnswer(" 85", new float[] {-0.01f, -0.02f})) > 0.8);
        assertTrue(v.score(new StageAnswer(" 17x6", new float[] {-0.01f, -2.5f})) < 0.2);
        assertEquals("verifier", v.name());
        assertThrows(IllegalArgumentException.class, () -> new Verifier(new double[] {1}, 0));
    }
}
