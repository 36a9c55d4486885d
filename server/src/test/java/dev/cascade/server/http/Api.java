package dev.cascade.server.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/1.1 client for one test server. Bodies are written with single quotes for readability
 * ({@link #json}); replies keep status, headers and the raw body for exact assertions.
 */
final class Api {
    // generous: the machine running the tests may be busy with other work
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private final int port;
    private final String key;

    Api(int port, String key) {
        this.port = port;
        this.key = key;
    }

    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    /** POSTs a body written with single quotes. */
    Reply post(String path, String singleQuoted) {
        return postRaw(path, json(singleQuoted));
    }

    Reply postRaw(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    /** POSTs without waiting: many of these are in flight at once, whatever the machine's cores. */
    CompletableFuture<Reply> postAsync(String path, String singleQuoted) {
        HttpRequest r = request(path).POST(HttpRequest.BodyPublishers.ofString(json(singleQuoted)))
                .header("Content-Type", "application/json").build();
        return CLIENT.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.headers(), response.body()));
    }

    /** POSTs a streaming request and splits its body into events. */
    SseReply stream(String path, String singleQuoted) {
        return SseReply.of(post(path, singleQuoted));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
