package dev.cascade.server.cli;

import dev.cascade.engine.cascade.JudgeModel;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.Scheduler;
import dev.cascade.engine.generate.SchedulerLimits;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The judge models of the offline commands (eval, calibrate): each is loaded on first use into a
 * serving loop of its own, with room for {@code inFlight} verdicts at once, and closed with this.
 */
final class JudgeLoops implements Function<String, JudgeModel>, AutoCloseable {
    private final Function<String, String> modelSpec;
    private final String backend;
    private final int threads;
    private final int inFlight;
    private final Map<String, JudgeModel> open = new LinkedHashMap<>();
    private final List<Model> models = new ArrayList<>();

    /** @param modelSpec what to load for a model name (a config's models: entry, or the name itself) */
    JudgeLoops(Function<String, String> modelSpec, String backend, int threads, int inFlight) {
        this.modelSpec = modelSpec;
        this.backend = backend;
        this.threads = threads;
        this.inFlight = inFlight;
    }

    @Override
    public synchronized JudgeModel apply(String name) {
        return open.computeIfAbsent(name, n -> {
            Model m = ModelLoader.open(modelSpec.apply(n), null);
            models.add(m);
            if (m.tokenizer() == null) {
                throw new IllegalArgumentException("the judge " + n + " has no tokenizer");
            }
            var c = m.config();
            int perContext = (c.contextLength() + KvLayout.DEFAULT_BLOCK_SIZE - 1) / KvLayout.DEFAULT_BLOCK_SIZE;
            KvLayout layout = new KvLayout(c.layers(), inFlight * perContext, KvLayout.DEFAULT_BLOCK_SIZE, c.kvHeads(), c.headDim());
            Transformer t = new Transformer(m, Backends.create(backend, threads).backend(), layout, 512);
            ServingLoop loop = new ServingLoop(new Scheduler(t, m.tokenizer(), EndTokens.of(m), layout, new SchedulerLimits(inFlight, 512)),
                    2 * inFlight + 1, "judge-" + n);
            return new JudgeModel(n, loop, m.tokenizer());
        });
    }

    @Override
    public synchronized void close() {
        open.values().forEach(j -> j.loop().close());
        models.forEach(Model::close);
    }
}
