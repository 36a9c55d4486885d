package dev.cascade.server.loadtest;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client a load test talks to one server through: the base address, the API key and the per-request
 * timeout, shared by every simulated client.
 */
public final class ServerConnection implements AutoCloseable {
    private final Endpoint endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    // HttpRequest.timeout only bounds the wait for the response headers; this closes streams that run past it
    private final ScheduledExecutorService deadlines;

    public ServerConnection(Endpoint endpoint, String apiKey, Duration timeout) {
        this.endpoint = endpoint;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.timeout = timeout;
        // HTTP/1.1 as the servers under test speak it: one connection per request in flight
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-deadlines");
            t.setDaemon(true);
            return t;
        });
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Duration timeout() {
        return timeout;
    }

    HttpClient http() {
        return http;
    }

    URI uri(String path) {
        return endpoint.api(path);
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    /** Closes {@code stream} if it is still open when the timeout has passed since {@code startNanos}. */
    ScheduledFuture<?> closeAtDeadline(long startNanos, Closeable stream, Runnable onExpiry) {
        long delay = startNanos + timeout.toNanos() - System.nanoTime();
        return deadlines.schedule(() -> {
            onExpiry.run();
            try {
                stream.close();
            } catch (IOException ignored) {
                // the reader fails either way, which is what this is for
            }
        }, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        http.close();
    }
}
