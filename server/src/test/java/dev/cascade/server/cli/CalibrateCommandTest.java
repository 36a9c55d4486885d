package dev.cascade.server.cli;

import dev.cascade.server.config.Cascades;
import dev.cascade.server.config.ConfigFile;
import dev.cascade.weights.DemoModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cascade calibrate} on a slice of the demo set: it reports on held-out items and rewrites the config's thresholds. */
class CalibrateCommandTest {

    @Test
    void rewritesTheThresholdsInTheConfig(@TempDir Path dir) throws Exception {
        Path eval = DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path data = dir.resolve("slice.jsonl");
        Files.write(data, Files.readAllLines(eval).subList(0, 240));
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, """
                # the demo family as a two-stage cascade
                models:
                  - model: demo-tiny
                  - model: demo-base
                cascades:
                  - name: two
                    stages:
                      - model: demo-tiny
                        threshold: -5
                        cost_per_generated_token: 0.03
                      - model: demo-base
                        cost_per_generated_token: 1
                """);
        CliRun run = CliRun.of("calibrate", "--config", config.toString(), "--cascade", "two", "--dataset", data.toString(),
                "--max-escalation-rate", "0.3", "--threads", "1", "--plot", dir.resolve("tradeoff.svg").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("reported on the other 120"), run.out());
        assertTrue(run.out().contains("precision") && run.out().contains("escalation rate"), run.out());
        assertTrue(run.err().contains("calibrate: stage demo-base 240/240 items"), "progress is shown");
        var cascade = ConfigFile.load(config).cascades().getFirst();
        double threshold = cascade.stages().getFirst().threshold();
        assertNotEquals(-5.0, threshold, "the threshold was rewritten");
        assertTrue(threshold < 0 && threshold > -5, "a min_logprob threshold among the observed scores: " + threshold);
        assertEquals(List.of("demo-tiny", "demo-base"), cascade.stages().stream().map(s -> s.model()).toList());
        Cascades.spec(cascade); // still a valid cascade
        String svg = Files.readString(dir.resolve("tradeoff.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("demo-tiny alone") && svg.contains("demo-base alone")
                && svg.contains("<polyline"), svg);
    }

    @Test
    void anUnreachableGoalSaysWhatIsReachable(@TempDir Path dir) throws Exception {
        Path eval = DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path data = dir.resolve("slice.jsonl");
        Files.write(data, Files.readAllLines(eval).subList(0, 64));
        CliRun run = CliRun.of("calibrate", "--cascade", "demo-cascade", "--dataset", data.toString(), "--target-accuracy", "1.01",
                "--threads", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("the best accuracy there is"), run.err());
    }

    @Test
    void trainsAVerifierScorer(@TempDir Path dir) throws Exception {
        Path eval = DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path data = dir.resolve("slice.jsonl");
        Files.write(data, Files.readAllLines(eval).subList(0, 240));
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, """
                models:
                  - model: demo-tiny
                  - model: demo-base
                cascades:
                  - name: verified
                    stages:
                      - model: demo-tiny
                        scorer: verifier
                        threshold: 0.5
                        cost_per_generated_token: 0.03
                      - model: demo-base
                        cost_per_generated_token: 1
                """);
        var untrained = ConfigFile.load(config).cascades().getFirst();
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Cascades.spec(untrained));
        assertTrue(refused.getMessage().contains("train it with cascade calibrate"), refused.getMessage());
        CliRun run = CliRun.of("calibrate", "--config", config.toString(), "--cascade", "verified", "--dataset", data.toString(),
                "--max-escalation-rate", "0.3", "--threads", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("verifier >="), run.out());
        var trained = ConfigFile.load(config).cascades().getFirst();
        var v = trained.stages().getFirst().verifier();
        assertEquals(4, v.weights().size());
        assertTrue(v.weights().get(1) > 0, "a higher min_logprob should mean a likelier right answer: " + v.weights());
        double threshold = trained.stages().getFirst().threshold();
        assertTrue(threshold > 0 && threshold < 1, "a probability threshold: " + threshold);
        var spec = Cascades.spec(trained);
        assertEquals("verifier", spec.stages().getFirst().scorer().name());
    }

    @Test
    void trainsALearnedRouter(@TempDir Path dir) throws Exception {
        // a first stage at half the last one's price: skipping it for a prompt it fails saves enough that
        // a router trained on 120 items pays (at demo-tiny's real 0.03 it would have to be near perfect)
        Path eval = DemoModels.folder("demo-tiny").getParent().resolve("eval.jsonl");
        Path data = dir.resolve("slice.jsonl");
        Files.write(data, Files.readAllLines(eval).subList(0, 240));
        Path config = dir.resolve("serve.yaml");
        Files.writeString(config, """
                models:
                  - model: demo-tiny
                  - model: demo-base
                cascades:
                  - name: routed
                    stages:
                      - model: demo-tiny
                        threshold: -0.5
                        cost_per_prompt_token: 0.5
                        cost_per_generated_token: 0.5
                      - model: demo-base
                        cost_per_prompt_token: 1
                        cost_per_generated_token: 1
                    router:
                      type: learned
                      start_at: demo-base
                """);
        CliRun run = CliRun.of("calibrate", "--config", config.toString(), "--cascade", "routed", "--dataset", data.toString(),
                "--target-accuracy", "0.905", "--threads", "1"); // the half allows 0.908 at most
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("  router: P(first stage fails) > ") && run.out().contains("precision")
                && run.out().contains("the router saves"), run.out());
        var cascade = ConfigFile.load(config).cascades().getFirst();
        var router = cascade.router();
        assertEquals("learned", router.type());
        assertEquals("demo-base", router.startAt());
        assertTrue(router.threshold() > 0 && router.threshold() < 1, "a probability threshold: " + router.threshold());
        assertEquals(4096, router.buckets());
        assertTrue(router.weights().size() > 0 && router.weights().size() < 4096, "sparse weights: " + router.weights().size());
        var spec = Cascades.spec(cascade);
        // the slice's multiplications are what demo-tiny fails; the router learnt to send them on
        assertEquals(1, spec.start("Q: 38*47\nA:", 9).stage(), spec.start("Q: 38*47\nA:", 9).toString());
        assertEquals(0, spec.start("Q: copy KXQ\nA:", 9).stage(), spec.start("Q: copy KXQ\nA:", 9).toString());
    }
}
