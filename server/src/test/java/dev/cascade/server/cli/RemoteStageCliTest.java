package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.kernels.Backends;
import dev.cascade.server.config.ConfigFile;
import dev.cascade.server.http.ApiServer;
import dev.cascade.server.http.ModelServing;
import dev.cascade.server.openai.Limits;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * eval and calibrate of a cascade whose last stage is another server (demo-base behind a second
 * Cascade server started here): greedy decoding is deterministic, so they must come out exactly as
 * with that stage loaded here.
 */
class RemoteStageCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static ApiServer remote;
    static String remoteUrl;
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        remote = new ApiServer(List.of(ModelServing.serve("demo-base", ModelLoader.open("demo-base", null),
                Backends.create("cpu", 1).backend(), 16L << 20, 32, 512, 256, new PrintWriter(new StringWriter()))),
                new ApiServer.Options("127.0.0.1", 0, 1 << 20, Set.of(), Limits.DEFAULT));
        remoteUrl = "http://127.0.0.1:" + remote.start() + "/v1";
        Path eval = DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        data = dir.resolve("slice.jsonl");
        // 64 items where demo-base gets some right that demo-tiny gets wrong, 4 of them in the calibration half
        Files.write(data, Files.readAllLines(eval).subList(600, 664));
    }

    @AfterAll
    static void stop() {
        remote.close();
    }

    /** The same two-stage cascade, its last stage "big" either served by the remote server or loaded here. */
    static Path config(String name, boolean remoteLast) throws Exception {
        String big = remoteLast ? """
                      - model: big
                        url: %s
                        remote_model: demo-base
                """.formatted(remoteUrl) : """
                      - model: big
                """;
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                models:
                  - model: demo-tiny
                %scascades:
                  - name: two
                    stages:
                      - model: demo-tiny
                        threshold: -0.5
                        cost_per_prompt_token: 0.03
                        cost_per_generated_token: 0.03
                %s        cost_per_prompt_token: 1
                        cost_per_generated_token: 1
                """.formatted(remoteLast ? "" : "  - name: big\n    model: demo-base\n", big));
        return config;
    }

    @Test
    void evalWithARemoteLastStageEqualsItLocal() throws Exception {
        JsonNode local = eval(config("eval-local", false));
        JsonNode viaRemote = eval(config("eval-remote", true));
        assertEquals(64, viaRemote.get("items").asInt());
        for (String field : List.of("accuracy", "by_difficulty", "cost", "cost_relative_to_last_stage", "escalation_rate",
                "early_escalations", "answered_by_stage")) {
            assertEquals(local.get(field), viaRemote.get(field), field);
        }
        for (String field : List.of("model", "accuracy", "by_difficulty", "cost")) {
            assertEquals(local.at("/last_stage_alone/" + field), viaRemote.at("/last_stage_alone/" + field), "alone: " + field);
        }
        assertTrue(viaRemote.at("/answered_by_stage/big").asDouble() > 0, "some items reach the remote stage: " + viaRemote);
        assertTrue(viaRemote.at("/last_stage_alone/cost").asDouble() > 64, "the remote's usage is what it costs: " + viaRemote);
    }

    private static JsonNode eval(Path config) throws Exception {
        CliRun run = CliRun.of("eval", "--config", config.toString(), "--model", "two", "--dataset", data.toString(),
                "--max-tokens", "16", "--json", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out());
    }

    @Test
    void calibrateWithARemoteLastStageEqualsItLocal() throws Exception {
        Path local = config("calibrate-local", false);
        Path viaRemote = config("calibrate-remote", true);
        CliRun l = calibrate(local);
        CliRun r = calibrate(viaRemote);
        assertTrue(r.err().contains("calibrate: stage big 64/64 items"), "the remote stage's progress is shown: " + r.err());
        assertEquals(report(l.out()), report(r.out()));
        var localStages = ConfigFile.load(local).cascades().getFirst().stages();
        var remoteStages = ConfigFile.load(viaRemote).cascades().getFirst().stages();
        double threshold = remoteStages.getFirst().threshold();
        assertNotEquals(-0.5, threshold, "the threshold was rewritten");
        assertTrue(threshold < 0 && threshold > -5, "a min_logprob threshold among the observed scores: " + threshold);
        assertEquals(localStages.getFirst().threshold(), threshold);
        assertEquals(remoteUrl, remoteStages.getLast().url(), "the remote stage is kept as it was");
        assertEquals("demo-base", remoteStages.getLast().remoteModel());
    }

    private static CliRun calibrate(Path config) {
        CliRun run = CliRun.of("calibrate", "--config", config.toString(), "--cascade", "two", "--dataset", data.toString(),
                "--target-accuracy", "0.9", "--max-tokens", "16", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    /** The calibration's report: the per-stage and accuracy lines (not where it was written). */
    private static List<String> report(String out) {
        List<String> lines = out.lines().filter(s -> s.startsWith("  ")).toList();
        assertTrue(lines.size() >= 3, out);
        return lines;
    }

    @Test
    void aRemoteStageThatIsDownFailsCalibrateNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String down = "http://127.0.0.1:" + port + "/v1";
        Path config = dir.resolve("down.yaml");
        Files.writeString(config, """
                models:
                  - model: demo-tiny
                cascades:
                  - name: down-first
                    stages:
                      - model: hosted
                        url: %s
                        threshold: -0.5
                        cost_per_generated_token: 1
                      - model: demo-tiny
                        cost_per_generated_token: 0.03
                """.formatted(down));
        CliRun run = CliRun.of("calibrate", "--config", config.toString(), "--cascade", "down-first", "--dataset", data.toString(),
                "--target-accuracy", "0.5", "--max-tokens", "16", "--threads", "1");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("stage hosted (" + down + ") failed on the item at index"), run.err());
        assertTrue(run.err().contains("did not answer"), run.err());
        CliRun eval = CliRun.of("eval", "--config", config.toString(), "--model", "down-first", "--dataset", data.toString(),
                "--max-tokens", "16", "--threads", "1");
        assertEquals(1, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("eval of down-first stopped: the item at index") && eval.err().contains("hosted (" + down + ")"),
                eval.err());
    }
}
