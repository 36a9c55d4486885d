package dev.cascade.server.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** One-line descriptions of what went wrong talking to a server; the JDK's own are often empty. */
final class HttpFailures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 300;

    private HttpFailures() {
    }

    /** A non-2xx answer: the status and the server's error message, or its body when that is not OpenAI's error JSON. */
    static String status(int status, String body) {
        String text = body.strip();
        try {
            JsonNode node = JSON.readTree(text);
            String message = node == null ? null : StreamChunk.errorMessage(node);
            if (message != null) {
                text = message;
            }
        } catch (IOException notJson) {
            // the body as it is, then
        }
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + oneLine(text));
    }

    static String describe(Throwable ex, URI uri, Duration timeout) {
        Throwable t = ex;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String where = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        if (t instanceof HttpConnectTimeoutException) {
            return "cannot connect to " + where + " within " + seconds(timeout);
        }
        if (t instanceof HttpTimeoutException) {
            return "no answer from " + uri + " within " + seconds(timeout);
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
            if (has(t, UnresolvedAddressException.class) || t instanceof UnknownHostException) {
                return "cannot connect to " + where + ": unknown host";
            }
            String message = firstMessage(t);
            return "cannot connect to " + where + ": " + (message == null ? "connection refused (is the server running?)" : message);
        }
        String message = firstMessage(t);
        return oneLine(message == null ? t.getClass().getSimpleName() : message);
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_BODY ? line : line.substring(0, MAX_BODY) + "…";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static boolean has(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstMessage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage();
            }
        }
        return null;
    }
}
