package dev.cascade.server.loadtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LoadReportTest {
    private static final long MS = 1_000_000;

    private static RequestResult ok(long startMs, long firstMs, long endMs, int tokens) {
        return new RequestResult(startMs * MS, firstMs * MS, endMs * MS, tokens, new double[] {1, 3}, null);
    }

    @Test
    void figuresFromTheTimings() {
        // two clients: [0, 1000] and [500, 2000] ms, 11 and 21 tokens
        LoadReport r = LoadReport.of(List.of(ok(0, 100, 1000, 11), ok(500, 700, 2000, 21)));
        assertEquals(2, r.ok());
        assertEquals(0, r.failed());
        assertEquals(2.0, r.wallSeconds(), 1e-9, "first send to last finish");
        assertEquals(32, r.generatedTokens());
        assertEquals(16, r.tokensPerSecond(), 1e-9);
        assertEquals(1, r.requestsPerSecond(), 1e-9);
        assertEquals(16, r.meanTokensPerRequest(), 1e-9);
        assertEquals(150, r.ttftMs().p50(), 1e-9, "100 and 200 ms");
        assertEquals(200, r.ttftMs().max(), 1e-9);
        // (1000 - 100) / 10 and (2000 - 700) / 20
        assertEquals(List.of(90.0, 65.0), List.of(r.tpotMs().max(), r.tpotMs().at(0)));
        assertEquals(1250, r.e2eMs().p50(), 1e-9, "1000 and 1500 ms");
        assertEquals(4, r.itlMs().count());
        assertNull(r.firstError());
    }

    @Test
    void failuresCountInWallTimeButNotInTokensOrLatency() {
        LoadReport r = LoadReport.of(List.of(ok(0, 100, 1000, 10),
                RequestResult.failed(200 * MS, 3000 * MS, "HTTP 503: later"),
                RequestResult.failed(100 * MS, 400 * MS, "HTTP 500: first")));
        assertEquals(1, r.ok());
        assertEquals(2, r.failed());
        assertEquals(3, r.requests());
        assertEquals(3.0, r.wallSeconds(), 1e-9);
        assertEquals(10, r.generatedTokens());
        assertEquals(1, r.e2eMs().count());
        assertEquals("HTTP 500: first", r.firstError(), "the one that failed first");
    }

    @Test
    void aRequestWithoutTextHasNoTimeToFirstToken() {
        LoadReport r = LoadReport.of(List.of(new RequestResult(0, -1, 50 * MS, 0, new double[0], null)));
        assertEquals(1, r.ok());
        assertEquals(0, r.ttftMs().count());
        assertEquals(0, r.tpotMs().count());
    }
}
