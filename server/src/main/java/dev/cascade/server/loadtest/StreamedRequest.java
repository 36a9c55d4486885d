package dev.cascade.server.loadtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Sends one streaming completion and times its Server-Sent Events as they arrive. Never throws: failures are results. */
public final class StreamedRequest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 4096;

    private StreamedRequest() {
    }

    /**
     * @param liveTokens counts chunks with text as they arrive, for a progress line while requests are still running
     */
    public static RequestResult run(ServerConnection server, CompletionRequest request, String prompt, LongAdder liveTokens) {
        URI uri = server.uri(request.path());
        HttpRequest http = server.request(request.path())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(request.body(prompt), StandardCharsets.UTF_8))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = server.http().send(http, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RequestResult.failed(start, System.nanoTime(), "interrupted");
        } catch (IOException | RuntimeException e) {
            return RequestResult.failed(start, System.nanoTime(), HttpFailures.describe(e, uri, server.timeout()));
        }
        AtomicBoolean expired = new AtomicBoolean();
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                String text = new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                return RequestResult.failed(start, System.nanoTime(), HttpFailures.status(response.statusCode(), text));
            }
            ScheduledFuture<?> deadline = server.closeAtDeadline(start, body, () -> expired.set(true));
            try {
                return read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), start, liveTokens);
            } finally {
                deadline.cancel(false);
            }
        } catch (IOException | RuntimeException e) {
            String why = expired.get() ? "timed out after " + server.timeout().toMillis() / 1000.0 + " s"
                    : HttpFailures.describe(e, uri, server.timeout());
            return RequestResult.failed(start, System.nanoTime(), why);
        }
    }

    static RequestResult read(BufferedReader lines, long start, LongAdder liveTokens) throws IOException {
        long firstToken = -1;
        long lastToken = -1;
        int textChunks = 0;
        int usageTokens = -1;
        boolean finished = false;
        DoubleList gaps = new DoubleList();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            long now = System.nanoTime();
            switch (SseLine.parse(line)) {
                case SseLine.Done d -> {
                    RequestResult result = done(start, firstToken, now, usageTokens, textChunks, gaps);
                    drain(lines);
                    return result;
                }
                case SseLine.Error e -> {
                    return RequestResult.failed(start, now, "error in stream: " + HttpFailures.oneLine(e.payload()));
                }
                case SseLine.Skip s -> {
                }
                case SseLine.Data d -> {
                    if (d.json().isBlank()) {
                        continue;
                    }
                    StreamChunk chunk;
                    try {
                        chunk = StreamChunk.parse(JSON.readTree(d.json()));
                    } catch (JsonProcessingException e) {
                        return RequestResult.failed(start, now, "not a JSON chunk: " + HttpFailures.oneLine(d.json()));
                    }
                    if (chunk.error() != null) {
                        return RequestResult.failed(start, now, "error in stream: " + HttpFailures.oneLine(chunk.error()));
                    }
                    if (!chunk.text().isEmpty()) {
                        if (firstToken < 0) {
                            firstToken = now;
                        } else {
                            gaps.add((now - lastToken) / 1e6);
                        }
                        lastToken = now;
                        textChunks++;
                        liveTokens.increment();
                    }
                    if (chunk.completionTokens() >= 0) {
                        usageTokens = chunk.completionTokens();
                    }
                    finished |= chunk.finished();
                }
            }
        }
        long end = System.nanoTime();
        // a server that finishes its choices but never writes [DONE] still answered in full
        if (finished) {
            return done(start, firstToken, end, usageTokens, textChunks, gaps);
        }
        return RequestResult.failed(start, end, textChunks == 0
                ? "the response ended without a streamed chunk (does the server stream?)"
                : "the stream ended after " + textChunks + " chunks without finishing");
    }

    /**
     * Reads to the end of the response, so that the JDK hands the connection back for the next request instead of
     * dropping it; a new connection per request would add a TCP (or TLS) handshake to every time to first token.
     */
    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // after [DONE] there is nothing left to time
            }
        } catch (IOException ignored) {
            // the request is complete; a server that then breaks the connection costs only the connection
        }
    }

    private static RequestResult done(long start, long firstToken, long end, int usageTokens, int textChunks, DoubleList gaps) {
        int tokens = usageTokens >= 0 ? usageTokens : textChunks;
        return new RequestResult(start, firstToken, end, tokens, gaps.toArray(), null);
    }
}
