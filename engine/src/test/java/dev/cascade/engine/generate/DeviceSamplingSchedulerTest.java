package dev.cascade.engine.generate;

import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.Sampler;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.Activations;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.DeviceSampling;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scheduler's side of token choice on the device (the CUDA backend's sample_rows), checked on
 * the CPU with a backend that "samples on the device" by running the host sampler on the uniform
 * draws it is handed, and leaves some rows to the host (token -1): seeded sampling, greedy rows, a
 * penalised request (whose steps the host samples whole) and those left-over rows all give the
 * completions the host alone gives. That holds only if each sequence's draws are taken in the same
 * order on both paths and a left-over row reuses its draw.
 */
class DeviceSamplingSchedulerTest {

    /** The CPU backend, plus sample(): the host's algorithm on the given draws; every third call leaves row 0 to the host. */
    static final class PretendDevice {
        final Backend cpu;
        int calls;
        int chosen;
        int leftToHost;

        PretendDevice(Backend cpu) {
            this.cpu = cpu;
        }

        Backend proxy() {
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (p, m, args) -> switch (m.getName()) {
                        case "samplesOnDevice" -> true;
                        case "sample" -> {
                            sample((Activations) args[0], (Integer) args[1], (DeviceSampling) args[2]);
                            yield null;
                        }
                        default -> {
                            try {
                                yield m.invoke(cpu, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
        }

        void sample(Activations logits, int rows, DeviceSampling s) {
            int vocab = logits.width();
            float[] host = new float[rows * vocab];
            cpu.read(logits, rows, host);
            calls++;
            for (int r = 0; r < rows; r++) {
                if (calls % 3 == 0 && r == 0) {
                    s.token[r] = -1;
                    leftToHost++;
                    continue;
                }
                SamplingParams params = new SamplingParams(s.temperature[r], s.topK[r], s.topP[r], 0f, 1f, 0f, 0f, 0L, 0);
                Sample out = new Sample();
                new Sampler(params, vocab).sample(host, r * vocab, null, out, s.uniform[r]);
                s.token[r] = out.token;
                s.logprob[r] = out.logprob;
                chosen++;
            }
        }
    }

    static List<GenerationRequest> requests(Model model) {
        List<SamplingParams> settings = List.of(
                new SamplingParams(0.8f, 20, 1f, 0f, 1f, 0f, 0f, 11L, 0),
                new SamplingParams(1.0f, 0, 0.9f, 0f, 1f, 0f, 0f, 12L, 0),
                new SamplingParams(0.7f, 0, 1f, 0f, 1f, 0f, 0f, 13L, 0),
                SamplingParams.GREEDY,
                new SamplingParams(1.1f, 30, 0.8f, 0f, 1f, 0f, 0f, 14L, 0));
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            out.add(new GenerationRequest(model.tokenizer().encode(SchedulerTest.PROMPTS.get(i), true), settings.get(i), 40,
                    List.of(), false));
        }
        return out;
    }

    static List<Completion> run(Model model, Backend backend, List<GenerationRequest> requests) {
        KvLayout layout = new KvLayout(model.config().layers(), 64, 16, model.config().kvHeads(), model.config().headDim());
        Transformer t = new Transformer(model, backend, layout, 64);
        Scheduler s = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout, new SchedulerLimits(8, 64));
        Completion[] done = new Completion[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            int index = i;
            s.add(i, requests.get(i), SchedulerTest.collector(c -> done[index] = c));
        }
        while (s.step()) {
            // until every request is done
        }
        t.close();
        return List.of(done);
    }

    @Test
    void tokensChosenOnTheDeviceAreTheHostsChoices() throws Exception {
        Path dir = Path.of(System.getProperty("cascade.shared", "../shared"), "models/stories260K");
        assumeTrue(Files.exists(dir), "skipped: ../shared is absent");
        try (Model model = ModelLoader.load(dir.resolve("stories260K.bin"), dir.resolve("tok512.bin"))) {
            List<GenerationRequest> plain = requests(model);
            List<GenerationRequest> withPenalty = new ArrayList<>(plain);
            withPenalty.add(new GenerationRequest(model.tokenizer().encode("The big red ball rolled", true),
                    new SamplingParams(0.9f, 0, 1f, 0f, 1f, 0.5f, 0f, 15L, 0), 30, List.of(), false));
            for (List<GenerationRequest> requests : List.of(plain, withPenalty)) {
                List<Completion> host = run(model, Backends.create("cpu", 2).backend(), requests);
                PretendDevice device = new PretendDevice(Backends.create("cpu", 2).backend());
                List<Completion> onDevice = run(model, device.proxy(), requests);
                for (int i = 0; i < requests.size(); i++) {
                    assertNotNull(onDevice.get(i), "request " + i + " did not finish");
                    assertArrayEquals(host.get(i).tokens(), onDevice.get(i).tokens(), "tokens of request " + i);
                    assertArrayEquals(host.get(i).logprobs(), onDevice.get(i).logprobs(), "logprobs of request " + i);
                    assertEquals(host.get(i).text(), onDevice.get(i).text(), "text of request " + i);
                }
                if (requests == plain) {
                    assertTrue(device.chosen > 100, "the device chose " + device.chosen + " tokens");
                    assertTrue(device.leftToHost > 5, "rows left to the host: " + device.leftToHost);
                } else {
                    assertTrue(device.calls < 40, "steps with the penalised request sample on the host: " + device.calls
                            + " device calls");
                }
            }
        }
    }
}
