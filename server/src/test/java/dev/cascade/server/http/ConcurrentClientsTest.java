package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.kernels.Backends;
import dev.cascade.server.openai.Limits;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Many clients at once through real sockets, on stories260K (a trained model with a 512-token
 * context): every streamed greedy answer equals the answer the same request gets alone, also when
 * the KV budget is so small that sequences are preempted and recomputed; a client that hangs up
 * mid-stream gets its sequence cancelled and its blocks freed.
 */
class ConcurrentClientsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient METRICS_CLIENT = HttpClient.newHttpClient();
    static final String[] PROMPTS = {"Once upon a time", "The little dog", "Tom and Sue went to the park", "A girl named",
            "One day, the sun", "The big red ball rolled", "Mom said", "In a small house there lived", "The cat",
            "Lily and Ben", "It was a sunny day", "The bird sang", "Sam had a toy", "There was a big tree",
            "The boy ran", "A little fish"};

    record Server(ApiServer api, ServedModel model, String url) implements AutoCloseable {
        @Override
        public void close() {
            api.close();
        }
    }

    static Server start(long kvBytes, int maxSeqs) throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        Model m = ModelLoader.load(dir.resolve("stories260K.bin"), dir.resolve("tok512.bin"));
        ServedModel sm = ModelServing.serve("stories", m, Backends.create("cpu", 2).backend(), kvBytes, maxSeqs, 128, 64,
                new PrintWriter(new StringWriter()));
        ApiServer api = new ApiServer(List.of(sm), new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of(), Limits.DEFAULT));
        int port = api.start();
        return new Server(api, sm, "http://127.0.0.1:" + port);
    }

    static String body(String prompt, int maxTokens) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("model", "stories", "prompt", prompt, "max_tokens", maxTokens,
                "temperature", 0, "stream", true));
    }

    /** Streams one completion and returns its text, concatenated from the chunks. */
    static String stream(HttpClient client, String url, String prompt, int maxTokens) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body(prompt, maxTokens))).build();
        HttpResponse<java.util.stream.Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        StringBuilder text = new StringBuilder();
        List<String> lines = r.body().filter(l -> l.startsWith("data: ")).toList();
        assertEquals("data: [DONE]", lines.getLast());
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode chunk = JSON.readTree(line.substring(6));
            text.append(chunk.get("choices").get(0).get("text").asText());
        }
        return text.toString();
    }

    static List<String> alone;

    static synchronized List<String> alone() throws Exception {
        if (alone == null) {
            HttpClient client = HttpClient.newHttpClient();
            try (Server s = start(64L << 20, 1)) {
                List<String> out = new ArrayList<>();
                for (String p : PROMPTS) {
                    out.add(stream(client, s.url(), p, 60));
                }
                alone = out;
            } finally {
                client.shutdownNow();
            }
        }
        return alone;
    }

    private static List<String> sixteenAtOnce(Server s) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        HttpClient client = HttpClient.newHttpClient();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (String p : PROMPTS) {
                futures.add(pool.submit((Callable<String>) () -> stream(client, s.url(), p, 60)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
            client.shutdownNow();
        }
    }

    @Test
    void sixteenStreamingClientsGetWhatTheyGetAlone() throws Exception {
        List<String> expected = alone();
        try (Server s = start(64L << 20, 16)) {
            assertEquals(expected, sixteenAtOnce(s));
            assertEquals(0, s.model().loop().preemptions());
            assertTrue(idle(s), "every block back in the pool");
        }
    }

    @Test
    void aKvBudgetTooSmallForAllPreemptsAndEveryAnswerIsStillRight() throws Exception {
        List<String> expected = alone();
        // one full 512-token context (the minimum) = 32 blocks; 16 requests of ~70 tokens need ~80
        try (Server s = start(32L * 16 * 1280, 16)) {
            assertEquals(32, s.model().loop().blocksTotal());
            assertEquals(expected, sixteenAtOnce(s));
            assertTrue(s.model().loop().preemptions() > 0, "expected preemptions");
            assertTrue(idle(s));
            String metrics = METRICS_CLIENT.send(HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("cascade_preemptions_total{model=\"stories\"} " + (double) s.model().loop().preemptions()),
                    metrics);
        }
    }

    @Test
    void aClientThatHangsUpMidStreamCancelsItsSequence() throws Exception {
        try (Server s = start(64L << 20, 4)) {
            String json = JSON.writeValueAsString(java.util.Map.of("model", "stories", "prompt", "Once upon a time",
                    "max_tokens", 480, "ignore_eos", true, "stream", true));
            try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(s.url().substring(s.url().lastIndexOf(':') + 1)))) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                int chunks = 0;
                for (String line; chunks < 3 && (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data: {")) {
                        chunks++;
                    }
                }
                assertEquals(3, chunks);
                assertTrue(s.model().loop().blocksUsed() > 0, "the sequence holds blocks while it runs");
            } // hang up
            assertTrue(idle(s), "the hung-up sequence's blocks return to the pool");
            String metrics = METRICS_CLIENT.send(HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("cascade_requests_total{finish_reason=\"abort\",model=\"stories\"} 1.0"), metrics);
            double generated = Double.parseDouble(metrics.lines().filter(l -> l.startsWith("cascade_generation_tokens_total"))
                    .findFirst().orElseThrow().replaceAll(".* ", ""));
            assertTrue(generated < 480, "stopped early, generated " + generated);
        }
    }

    /** Waits until nothing runs and no block is held. */
    static boolean idle(Server s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!s.model().loop().busy() && s.model().loop().blocksUsed() == 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
