package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.server.loadtest.CompletionRequest;
import dev.cascade.server.loadtest.Endpoint;
import dev.cascade.server.loadtest.LoadReport;
import dev.cascade.server.loadtest.Percentiles;

/** A load test's report as a table for people or one JSON object for scripts. */
record LoadTestOutput(Endpoint endpoint, String model, CompletionRequest request, int concurrency, LoadReport report) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", endpoint.toString());
        o.put("model", model);
        o.put("endpoint", "/v1/" + request.path());
        o.put("concurrency", concurrency);
        o.put("requests", report.requests());
        o.put("ok", report.ok());
        o.put("failed", report.failed());
        o.put("first_error", report.firstError());
        o.put("max_tokens", request.maxTokens());
        o.put("ignore_eos", request.ignoreEos());
        number(o, "wall_seconds", report.wallSeconds());
        o.put("generated_tokens", report.generatedTokens());
        number(o, "tokens_per_second", report.tokensPerSecond());
        number(o, "requests_per_second", report.requestsPerSecond());
        number(o, "mean_tokens_per_request", report.meanTokensPerRequest());
        percentiles(o.putObject("ttft_ms"), report.ttftMs(), true);
        percentiles(o.putObject("tpot_ms"), report.tpotMs(), false);
        percentiles(o.putObject("itl_ms"), report.itlMs(), true);
        percentiles(o.putObject("e2e_ms"), report.e2eMs(), false);
        return o.toPrettyString();
    }

    String table() {
        StringBuilder s = new StringBuilder();
        row(s, "url", endpoint + "/v1/" + request.path());
        row(s, "model", model);
        row(s, "load", concurrency + " at once, " + request.maxTokens() + " tokens per request"
                + (request.ignoreEos() ? " (ignore_eos)" : " at most"));
        row(s, "requests", report.ok() + " ok, " + report.failed() + " failed");
        if (report.firstError() != null) {
            row(s, "first error", report.firstError());
        }
        row(s, "wall time", String.format("%.2f s", report.wallSeconds()));
        row(s, "throughput", String.format("%.1f tokens/s, %.2f requests/s", report.tokensPerSecond(),
                report.requestsPerSecond()));
        row(s, "tokens", String.format("%d generated, %.1f per request", report.generatedTokens(),
                report.meanTokensPerRequest()));
        row(s, "TTFT", times(report.ttftMs(), true));
        row(s, "TPOT", times(report.tpotMs(), false));
        row(s, "ITL", times(report.itlMs(), true));
        row(s, "e2e latency", times(report.e2eMs(), false));
        return s.toString();
    }

    private static void row(StringBuilder s, String label, String value) {
        s.append(String.format("%-13s %s%n", label, value));
    }

    private static String times(Percentiles p, boolean withMax) {
        if (p.count() == 0) {
            return "-";
        }
        return String.format("p50 %.1f ms, p95 %.1f ms", p.p50(), p.p95())
                + (withMax ? String.format(", max %.1f ms", p.max()) : "");
    }

    private static void percentiles(ObjectNode o, Percentiles p, boolean withMax) {
        number(o, "p50", p.p50());
        number(o, "p95", p.p95());
        if (withMax) {
            number(o, "max", p.max());
        }
    }

    /** NaN (nothing measured) as null, since JSON has no NaN. */
    private static void number(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
