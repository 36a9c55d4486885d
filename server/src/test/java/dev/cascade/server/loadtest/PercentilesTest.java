package dev.cascade.server.loadtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    @Test
    void interpolatesBetweenTheClosestRanks() {
        Percentiles p = Percentiles.of(new double[] {5, 1, 4, 2, 3});
        assertEquals(1, p.at(0));
        assertEquals(3, p.p50());
        assertEquals(4.8, p.p95(), 1e-12, "rank 3.8: 4 + 0.8 × (5 - 4)");
        assertEquals(5, p.at(100));
        assertEquals(5, p.max());
        assertEquals(3, p.mean());
        assertEquals(5, p.count());
    }

    @Test
    void medianOfAnEvenCountIsTheMidpoint() {
        assertEquals(1.5, Percentiles.of(new double[] {2, 1}).p50());
        assertEquals(25, Percentiles.of(List.of(10.0, 20.0, 30.0, 40.0)).p50());
    }

    @Test
    void matchesNumpyOnAHundredValues() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        // numpy.percentile(range(1, 101), 95) == 95.05
        assertEquals(95.05, Percentiles.of(v).p95(), 1e-9);
        assertEquals(50.5, Percentiles.of(v).p50(), 1e-9);
    }

    @Test
    void oneValueIsEveryPercentile() {
        Percentiles p = Percentiles.of(new double[] {7});
        assertEquals(7, p.p50());
        assertEquals(7, p.p95());
        assertEquals(7, p.max());
    }

    @Test
    void anEmptySampleHasNoPercentiles() {
        Percentiles p = Percentiles.of(new double[0]);
        assertTrue(Double.isNaN(p.p50()));
        assertTrue(Double.isNaN(p.max()));
        assertTrue(Double.isNaN(p.mean()));
    }

    @Test
    void theInputIsLeftAlone() {
        double[] v = {3, 1, 2};
        Percentiles.of(v);
        assertEquals(3, v[0]);
    }

    @Test
    void percentilesOutsideZeroToHundredAreRejected() {
        Percentiles p = Percentiles.of(new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> p.at(101));
        assertThrows(IllegalArgumentException.class, () -> p.at(-1));
    }
}
