package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTestCommandTest {
    private FakeOpenAiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode json(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "loadtest";
        all[1] = "--url";
        all[2] = server.url();
        System.arraycopy(args, 0, all, 3, args.length);
        all[all.length - 1] = "--json";
        CliRun run = CliRun.of(all);
        assertEquals(0, run.exitCode(), run.err());
        return new ObjectMapper().readTree(run.out());
    }

    private CliRun table(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "loadtest";
        all[1] = "--url";
        all[2] = server.url();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    private static void assertOneLine(CliRun run) {
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("cascade: "), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void jsonCountsEveryTokenOfEveryRequest() throws Exception {
        JsonNode o = json("--concurrency", "2", "--requests", "6", "--max-tokens", "5");
        for (String key : List.of("url", "model", "concurrency", "requests", "ok", "failed", "wall_seconds",
                "generated_tokens", "tokens_per_second", "requests_per_second", "ttft_ms", "tpot_ms", "e2e_ms")) {
            assertTrue(o.has(key), key + " in " + o);
        }
        assertEquals(server.url(), o.get("url").asText());
        assertEquals(FakeOpenAiServer.MODEL, o.get("model").asText(), "the first of /v1/models");
        assertEquals(2, o.get("concurrency").asInt());
        assertEquals(6, o.get("requests").asInt());
        assertEquals(6, o.get("ok").asInt());
        assertEquals(0, o.get("failed").asInt());
        assertEquals(30, o.get("generated_tokens").asLong());
        assertEquals(5.0, o.get("mean_tokens_per_request").asDouble());
        double wall = o.get("wall_seconds").asDouble();
        assertTrue(wall > 0);
        assertEquals(30 / wall, o.get("tokens_per_second").asDouble(), 1e-6 * 30 / wall);
        assertEquals(6 / wall, o.get("requests_per_second").asDouble(), 1e-6 * 6 / wall);
        JsonNode ttft = o.get("ttft_ms");
        JsonNode e2e = o.get("e2e_ms");
        assertTrue(ttft.get("p50").asDouble() > 0);
        assertTrue(ttft.get("p50").asDouble() < e2e.get("p50").asDouble(), o.toString());
        assertTrue(ttft.get("p50").asDouble() <= ttft.get("p95").asDouble());
        assertTrue(ttft.get("p95").asDouble() <= ttft.get("max").asDouble());
        assertTrue(o.get("tpot_ms").get("p50").asDouble() > 0);
        assertTrue(o.get("tpot_ms").get("p50").asDouble() <= o.get("tpot_ms").get("p95").asDouble());

        assertEquals(7, server.bodies.size(), "one warm-up and six measured");
        for (JsonNode body : server.bodies) {
            assertEquals(FakeOpenAiServer.MODEL, body.get("model").asText());
            assertEquals(LoadTestCommand.DEFAULT_PROMPT, body.get("prompt").asText());
            assertEquals(5, body.get("max_tokens").asInt());
            assertTrue(body.get("stream").asBoolean());
            assertTrue(body.at("/stream_options/include_usage").asBoolean());
            assertTrue(body.get("ignore_eos").asBoolean());
            assertEquals(0.0, body.get("temperature").asDouble());
        }
        assertEquals(Set.of("/v1/completions"), Set.copyOf(server.paths));
    }

    @Test
    void chatStreamsItsDeltas() throws Exception {
        JsonNode o = json("--chat", "--requests", "3", "--max-tokens", "4", "--prompt", "Say hi");
        assertEquals(3, o.get("ok").asInt());
        assertEquals(12, o.get("generated_tokens").asLong());
        assertTrue(o.get("ttft_ms").get("p50").asDouble() < o.get("e2e_ms").get("p50").asDouble());
        assertEquals(Set.of("/v1/chat/completions"), Set.copyOf(server.paths));
        JsonNode message = server.bodies.peek().at("/messages/0");
        assertEquals("user", message.get("role").asText());
        assertEquals("Say hi", message.get("content").asText());
    }

    @Test
    void concurrencyKeepsThatManyRequestsInFlight() throws Exception {
        server.tokenDelayMs = 15;
        JsonNode o = json("--concurrency", "4", "--requests", "8", "--max-tokens", "8", "--warmup", "0");
        assertEquals(8, o.get("ok").asInt());
        assertEquals(4, server.maxConcurrent());
    }

    @Test
    void oneClientSendsOneRequestAtATime() throws Exception {
        json("--requests", "4", "--max-tokens", "3");
        assertEquals(1, server.maxConcurrent());
    }

    @Test
    void connectionsAreReusedFromRequestToRequest() throws Exception {
        json("--concurrency", "2", "--requests", "10", "--max-tokens", "2");
        // two clients need two connections; a fresh one per request would be eleven
        assertTrue(server.connections.size() <= 4, server.connections.toString());
    }

    @Test
    void withoutUsageTheTokensAreCountedByChunk() throws Exception {
        server.sendUsage = false;
        JsonNode o = json("--requests", "3", "--max-tokens", "4");
        assertEquals(12, o.get("generated_tokens").asLong());
    }

    @Test
    void withoutIgnoreEosTheServerStopsWhereItLikes() throws Exception {
        JsonNode o = json("--requests", "2", "--max-tokens", "10", "--no-ignore-eos");
        assertEquals(2 * FakeOpenAiServer.NATURAL_LENGTH, o.get("generated_tokens").asLong());
        assertFalse(o.get("ignore_eos").asBoolean());
        assertTrue(server.bodies.stream().noneMatch(b -> b.has("ignore_eos")));
    }

    @Test
    void failedRequestsAreCountedAndTheRunGoesOn() throws Exception {
        server.failing = n -> n == 2 || n == 5;
        CliRun run = table("--requests", "6", "--max-tokens", "3", "--warmup", "0");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("4 ok, 2 failed"), run.out());
        assertTrue(run.out().contains("first error   HTTP 500: boom"), run.out());
        assertTrue(run.out().contains("12 generated"), run.out());
    }

    @Test
    void jsonReportsFailuresToo() throws Exception {
        server.failing = n -> n % 2 == 0;
        JsonNode o = json("--concurrency", "2", "--requests", "6", "--max-tokens", "3", "--warmup", "0");
        assertEquals(3, o.get("ok").asInt());
        assertEquals(3, o.get("failed").asInt());
        assertEquals(6, o.get("requests").asInt());
        assertEquals(9, o.get("generated_tokens").asLong(), "failed requests generate nothing");
        assertEquals("HTTP 500: boom", o.get("first_error").asText());
    }

    @Test
    void tableShowsTheFiguresAndProgressGoesToStandardError() {
        CliRun run = table("--requests", "3", "--max-tokens", "4");
        assertEquals(0, run.exitCode(), run.err());
        for (String s : List.of("3 ok, 0 failed", "tokens/s", "requests/s", "12 generated, 4.0 per request", "TTFT", "TPOT",
                "e2e latency", "p50", "p95", "max", FakeOpenAiServer.MODEL)) {
            assertTrue(run.out().contains(s), s + " in\n" + run.out());
        }
        assertTrue(run.err().contains("loadtest: 3/3 done, 0 running, 0 failed"), run.err());
    }

    @Test
    void jsonPrintsNothingButTheObject() throws Exception {
        CliRun run = CliRun.of("loadtest", "--url", server.url(), "--requests", "2", "--max-tokens", "2", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        assertTrue(new ObjectMapper().readTree(run.out()).isObject());
    }

    @Test
    void promptsFromAFileAreUsedInTurn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prompts.txt");
        Files.writeString(file, "alpha\n\nbeta\n");
        json("--prompt-file", file.toString(), "--requests", "4", "--max-tokens", "2", "--warmup", "0");
        assertEquals(List.of("alpha", "alpha", "beta", "beta"), server.prompts().stream().sorted().toList());
    }

    @Test
    void urlMayEndInV1() throws Exception {
        CliRun run = CliRun.of("loadtest", "--url", server.url() + "/v1/", "--requests", "2", "--max-tokens", "2", "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(server.url(), new ObjectMapper().readTree(run.out()).get("url").asText());
    }

    @Test
    void aWrongKeyIsOneLineAndExitCodeOne() {
        server.requiredKey = "secret";
        CliRun run = table("--requests", "2");
        assertEquals(1, run.exitCode(), run.err());
        assertOneLine(run);
        assertTrue(run.err().contains("HTTP 401: Invalid API key"), run.err());

        CliRun withKey = table("--requests", "2", "--max-tokens", "2", "--api-key", "secret");
        assertEquals(0, withKey.exitCode(), withKey.err());
    }

    @Test
    void anUnknownModelStopsAtTheWarmUp() {
        CliRun run = table("--model", "no-such-model", "--requests", "2");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("HTTP 404: The model `no-such-model` does not exist."), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("cascade: ")).count(), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertEquals(1, server.bodies.size(), "nothing measured after the warm-up failed");
    }

    @Test
    void everyRequestFailingIsAnError() {
        server.failing = n -> true;
        CliRun run = CliRun.of("loadtest", "--url", server.url(), "--requests", "3", "--warmup", "0", "--json");
        assertEquals(1, run.exitCode(), run.err());
        assertOneLine(run);
        assertTrue(run.err().contains("all 3 requests failed; the first: HTTP 500: boom"), run.err());
    }

    @Test
    void aRequestPastItsTimeoutFails() {
        server.tokenDelayMs = 200;
        CliRun run = CliRun.of("loadtest", "--url", server.url(), "--requests", "1", "--max-tokens", "20",
                "--warmup", "0", "--timeout", "0.5", "--json");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("timed out after 0.5 s"), run.err());
    }

    @Test
    void aServerThatIsNotThereIsOneLineAndExitCodeOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun run = CliRun.of("loadtest", "--url", "http://127.0.0.1:" + port, "--requests", "1");
        assertEquals(1, run.exitCode(), run.err());
        assertOneLine(run);
        assertTrue(run.err().contains("cannot connect to 127.0.0.1:" + port), run.err());
    }

    @Test
    void aBadUrlIsOneLineAndExitCodeOne() {
        for (String url : List.of("ftp://example.com", "http://bad host:80")) {
            CliRun run = CliRun.of("loadtest", "--url", url);
            assertEquals(1, run.exitCode(), url + ": " + run.err());
            assertOneLine(run);
            assertTrue(run.err().contains("--url"), run.err());
        }
    }

    @Test
    void listedAmongTheCommands() {
        assertTrue(CliRun.of("--help").out().contains("loadtest"));
    }

    @Test
    void badCountsAreRejected() {
        CliRun run = CliRun.of("loadtest", "--url", server.url(), "--concurrency", "0");
        assertEquals(1, run.exitCode());
        assertOneLine(run);
    }
}
