package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./cascade serve} as a user runs it: the default demo models, and a graceful stop on SIGTERM. */
class ServeIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern LISTENING = Pattern.compile("serving .* on (http://[0-9.]+:[0-9]+)");

    record Running(Process process, String url, StringBuilder log, Thread reader) {
        /** Everything the server printed on stderr, once it has exited. */
        String fullLog() throws InterruptedException {
            reader.join(10_000);
            synchronized (log) {
                return log.toString();
            }
        }
    }

    static Running serve(String... args) throws Exception {
        Path root = Path.of(System.getProperty("cascade.root", "..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("cascade").toString(), "serve", "--port", "0"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuilder log = new StringBuilder();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new AssertionError("the server exited before listening:\n" + log));
            } catch (Exception e) {
                url.completeExceptionally(e);
            }
        });
        return new Running(p, url.get(120, TimeUnit.SECONDS), log, reader);
    }

    /** SIGTERM, as `kill` sends it; Process.destroy() would also close our end of its stderr, losing the log. */
    static void sigterm(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
    }

    @Test
    void withNoArgumentsItServesTheDemoModels() throws Exception {
        Running s = serve();
        HttpClient client = HttpClient.newHttpClient();
        try {
            JsonNode models = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(s.url() + "/v1/models")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> ids = new ArrayList<>();
            models.get("data").forEach(m -> ids.add(m.get("id").asText()));
            assertTrue(ids.contains("demo-tiny"), ids.toString());
            String body = JSON.writeValueAsString(Map.of("model", "demo-tiny", "temperature", 0,
                    "messages", List.of(Map.of("role", "user", "content", "copy KXQ"))));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(s.url() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(" KXQ", JSON.readTree(r.body()).at("/choices/0/message/content").asText());
        } finally {
            s.process().destroy();
            assertTrue(s.process().waitFor(60, TimeUnit.SECONDS));
            client.shutdownNow();
        }
    }

    @Test
    void sigtermLetsTheRunningRequestFinishThenExits() throws Exception {
        String bin = SharedPaths.require("models/stories260K/stories260K.bin");
        String tok = SharedPaths.require("models/stories260K/tok512.bin");
        Running s = serve("--model", "stories=" + bin, "--tokenizer", tok, "--shutdown-grace", "60s");
        HttpClient client = HttpClient.newHttpClient();
        try {
            assertTrue(s.log().toString().contains("stories"), s.log().toString());
            String body = JSON.writeValueAsString(Map.of("model", "stories", "prompt", "Once upon a time", "max_tokens", 400,
                    "ignore_eos", true, "stream", true, "stream_options", Map.of("include_usage", true)));
            CountDownLatch firstChunk = new CountDownLatch(1);
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
                try {
                    HttpResponse<java.util.stream.Stream<String>> r = client.send(
                            HttpRequest.newBuilder(URI.create(s.url() + "/v1/completions"))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
                    return r.body().filter(l -> l.startsWith("data: ")).peek(l -> firstChunk.countDown()).toList();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(firstChunk.await(60, TimeUnit.SECONDS), "no token streamed");
            sigterm(s.process());
            List<String> got = lines.get(60, TimeUnit.SECONDS);
            assertEquals("data: [DONE]", got.getLast(), "the running request finished its stream");
            JsonNode usage = JSON.readTree(got.get(got.size() - 2).substring(6)).get("usage");
            assertEquals(400, usage.get("completion_tokens").asInt(), "all 400 tokens, not cut by the shutdown");
            assertTrue(s.process().waitFor(60, TimeUnit.SECONDS), "the server exits after the grace period");
            String log = s.fullLog();
            assertTrue(log.contains("shutting down"), log);
            try {
                HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(s.url() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, after.statusCode(), "a stopped server must not answer 200");
            } catch (ConnectException expected) {
                // the port is closed: also right
            }
        } finally {
            s.process().destroyForcibly();
            client.shutdownNow();
        }
    }
}
