package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * An OpenAI-compatible server in miniature: {@code /v1/models}, and {@code /v1/completions} and
 * {@code /v1/chat/completions} streamed one token per chunk with a pause before each, the way vLLM writes them.
 * It records what it was asked and how many requests it served at once.
 */
final class FakeOpenAiServer implements AutoCloseable {
    static final String MODEL = "fake-model";
    /** Tokens a request gets without ignore_eos: the "model" stops early. */
    static final int NATURAL_LENGTH = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    final Queue<JsonNode> bodies = new ConcurrentLinkedQueue<>();
    final Queue<String> paths = new ConcurrentLinkedQueue<>();
    /** The client ends of the connections completions arrived on. */
    final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

    volatile long tokenDelayMs = 2;
    volatile boolean sendUsage = true;
    volatile String requiredKey;
    /** Given the 1-based number of a completion request as it arrives, whether to answer it with a 500. */
    volatile IntPredicate failing = n -> false;

    FakeOpenAiServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(executor);
        http.createContext("/v1/models", this::models);
        http.createContext("/v1/completions", ex -> complete(ex, false));
        http.createContext("/v1/chat/completions", ex -> complete(ex, true));
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    int maxConcurrent() {
        return maxInFlight.get();
    }

    List<String> prompts() {
        return bodies.stream().map(b -> b.has("prompt") ? b.get("prompt").asText() : b.at("/messages/0/content").asText())
                .toList();
    }

    private void models(HttpExchange ex) throws IOException {
        if (!authorized(ex)) {
            return;
        }
        send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"},"
                + "{\"id\":\"other-model\",\"object\":\"model\"}]}");
    }

    private void complete(HttpExchange ex, boolean chat) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            bodies.add(body);
            paths.add(ex.getRequestURI().getPath());
            connections.add(ex.getRemoteAddress());
            if (!authorized(ex)) {
                return;
            }
            if (!MODEL.equals(body.path("model").asText())) {
                send(ex, 404, "{\"error\":{\"message\":\"The model `" + body.path("model").asText()
                        + "` does not exist.\",\"type\":\"NotFoundError\",\"code\":404}}");
                return;
            }
            if (failing.test(arrived.incrementAndGet())) {
                send(ex, 500, "boom\n");
                return;
            }
            int tokens = body.path("ignore_eos").asBoolean(false) ? body.path("max_tokens").asInt()
                    : Math.min(NATURAL_LENGTH, body.path("max_tokens").asInt());
            stream(ex, chat, tokens, body.path("stream_options").path("include_usage").asBoolean(false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private void stream(HttpExchange ex, boolean chat, int tokens, boolean includeUsage) throws IOException, InterruptedException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        if (chat) {
            // vLLM opens a chat stream with the role and no text: not a token
            ObjectNode first = chunk(chat);
            first.withArray("choices").addObject().putObject("delta").put("role", "assistant").put("content", "");
            event(out, "data: " + first);
        }
        for (int i = 0; i < tokens; i++) {
            Thread.sleep(tokenDelayMs);
            ObjectNode c = chunk(chat);
            ObjectNode choice = c.withArray("choices").addObject();
            choice.put("index", 0);
            if (chat) {
                choice.putObject("delta").put("content", " tok" + i);
            } else {
                choice.put("text", " tok" + i);
            }
            if (i == tokens - 1) {
                choice.put("finish_reason", "length");
            } else {
                choice.putNull("finish_reason");
            }
            event(out, "data: " + c);
            if (i == 0) {
                event(out, ": keep-alive");
            }
        }
        if (includeUsage && sendUsage) {
            ObjectNode u = chunk(chat);
            u.putArray("choices");
            u.putObject("usage").put("prompt_tokens", 27).put("completion_tokens", tokens).put("total_tokens", 27 + tokens);
            event(out, "data: " + u);
        }
        event(out, "data: [DONE]");
        out.close();
    }

    private static ObjectNode chunk(boolean chat) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "cmpl-1");
        c.put("object", chat ? "chat.completion.chunk" : "text_completion");
        c.put("model", MODEL);
        return c;
    }

    private static void event(OutputStream out, String line) throws IOException {
        out.write((line + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private boolean authorized(HttpExchange ex) throws IOException {
        if (requiredKey == null || ("Bearer " + requiredKey).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        send(ex, 401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\"}}");
        return false;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", status == 500 ? "text/plain" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
