package dev.cascade.server.cli;

import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.engine.cascade.CascadeSpec;
import dev.cascade.engine.cascade.JudgeModel;
import dev.cascade.engine.cascade.StageSpec;
import dev.cascade.server.config.ByteSize;
import dev.cascade.server.config.CascadeSettings;
import dev.cascade.server.config.Cascades;
import dev.cascade.server.http.RemoteStage;
import dev.cascade.server.http.ServedCascade;
import dev.cascade.server.config.ConfigFile;
import dev.cascade.server.config.Durations;
import dev.cascade.server.config.ModelSettings;
import dev.cascade.server.config.ServeConfig;
import dev.cascade.server.http.ApiServer;
import dev.cascade.server.http.ModelServing;
import dev.cascade.server.http.ServedModel;
import dev.cascade.server.openai.Limits;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code cascade serve}: the OpenAI-compatible server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve models over an OpenAI-compatible HTTP API (/v1/completions, /v1/chat/completions, "
                + "/v1/models, /health, /metrics).",
                "With no --model and no --config it serves the bundled demo models."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "[NAME=]M",
            description = "A model to serve (repeatable): a Hugging Face folder, a .gguf, demo-tiny, random:llama-110m:Q8_0, ... "
                    + "NAME=M serves it under another name.")
    List<String> models = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "The tokenizer of llama2.c models given by --model.")
    Path tokenizer;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML file with models, limits and API keys.")
    Path config;

    @Option(names = "--host", description = "Address to bind (default 127.0.0.1, loopback only).")
    String host;

    @Option(names = "--port", description = "Port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--backend", description = "auto, cpu, cuda or scalar (default auto).")
    String backend;

    @Option(names = "--threads", description = "CPU worker threads per model (default: the machine's cores).")
    Integer threads;

    @Option(names = "--kv-memory", paramLabel = "SIZE", description = "KV cache budget per model, e.g. 512m, 2g (default 1g).")
    String kvMemory;

    @Option(names = "--max-seqs", description = "Running sequences per model at most (default 32).")
    Integer maxSeqs;

    @Option(names = "--max-batched-tokens", description = "Tokens per forward step: decode rows plus prefill chunks (default 512).")
    Integer maxBatchedTokens;

    @Option(names = "--no-prefix-caching", description = "Keep no KV blocks for later prompts that begin the same way "
            + "(prefix caching is on by default; full blocks are shared).")
    boolean noPrefixCaching;

    @Option(names = "--block-size", description = "Tokens per KV block, the unit of KV allocation and prefix sharing "
            + "(default 16).")
    Integer blockSize;

    @Option(names = "--max-waiting", description = "Queued requests per model before 429 (default 256).")
    Integer maxWaiting;

    @Option(names = "--max-body", paramLabel = "SIZE", description = "Largest request body (default 8m).")
    String maxBody;

    @Option(names = "--api-key", description = "Require this bearer key on /v1 (repeatable; also $CASCADE_API_KEY).")
    List<String> apiKeys = new ArrayList<>();

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "On SIGTERM, how long running requests may take to finish (default 30s).")
    String shutdownGrace;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig file = config == null ? null : ConfigFile.load(config);
        ApiServer server = start(file, err);
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = Durations.parse(pick(shutdownGrace, file == null ? null : file.shutdownGrace(), "30s"), "--shutdown-grace");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("shutting down: no new requests; waiting up to " + grace.toSeconds() + " s for running ones");
            err.flush();
            try {
                server.shutdown(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "cascade-shutdown"));
        stopped.await();
        return 0;
    }

    /** Loads every model and starts listening; the server runs until closed. */
    ApiServer start(ServeConfig file, PrintWriter log) throws InterruptedException {
        List<ModelSettings> wanted = new ArrayList<>();
        for (String m : models) {
            int eq = m.indexOf('=');
            boolean named = eq > 0 && !m.substring(0, eq).contains("/") && !m.startsWith("random:");
            wanted.add(new ModelSettings(named ? m.substring(0, eq) : null, named ? m.substring(eq + 1) : m,
                    tokenizer == null ? null : tokenizer.toString(), null, null, null));
        }
        List<CascadeSettings> cascadeSettings = new ArrayList<>();
        if (wanted.isEmpty() && file != null && file.models() != null) {
            wanted.addAll(file.models());
            if (file.cascades() != null) {
                cascadeSettings.addAll(file.cascades());
            }
        }
        if (wanted.isEmpty()) {
            for (String demo : List.of("demo-tiny", "demo-small", "demo-base")) {
                try {
                    DemoModels.folder(demo);
                    wanted.add(new ModelSettings(demo, demo, null, null, null, null));
                } catch (RuntimeException absent) {
                    log.println("note: " + demo + " is not built, skipping it (" + absent.getMessage() + ")");
                }
            }
            if (wanted.isEmpty()) {
                throw new IllegalArgumentException("no --model, no --config, and no demo model found; give --model M");
            }
            if (wanted.size() == 3) {
                cascadeSettings.add(Cascades.DEMO);
            }
        }
        ServeConfig f = file == null ? new ServeConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null) : file;
        String backendName = pick(backend, f.backend(), "auto");
        int threadCount = pick(threads, f.threads(), Backends.defaultThreads());
        int waiting = pick(maxWaiting, f.maxWaiting(), 256);
        int block = pick(blockSize, f.blockSize(), KvLayout.DEFAULT_BLOCK_SIZE);
        ModelServing.checkBlockSize(block); // before any model loads
        List<ServedModel> served = new ArrayList<>();
        try {
            for (ModelSettings s : wanted) {
                String name = s.apiName();
                long kv = ByteSize.parse(pick(kvMemory, s.kvMemory() != null ? s.kvMemory() : f.kvMemory(), "1g"), "--kv-memory");
                int seqs = pick(maxSeqs, s.maxSeqs() != null ? s.maxSeqs() : f.maxSeqs(), 32);
                int batched = pick(maxBatchedTokens, s.maxBatchedTokens() != null ? s.maxBatchedTokens() : f.maxBatchedTokens(), 512);
                if (seqs < 1 || batched < 1) {
                    throw new IllegalArgumentException(name + ": max sequences and max batched tokens must be >= 1");
                }
                Backends.Choice choice = Backends.create(backendName, threadCount);
                Model model;
                try {
                    model = ModelLoader.open(s.model(), s.tokenizer() == null ? null : Path.of(s.tokenizer()));
                } catch (RuntimeException e) {
                    choice.backend().close();
                    throw e;
                }
                log.println(name + ": " + s.model() + " (" + model.format().name().toLowerCase() + ", "
                        + String.format("%,d", model.parameterCount()) + " parameters, context " + model.config().contextLength()
                        + "); backend: " + choice.reason());
                boolean prefixCaching = !noPrefixCaching && (f.prefixCaching() == null || f.prefixCaching());
                served.add(ModelServing.serve(name, model, choice.backend(), kv, block, seqs, Math.max(batched, 1), waiting,
                        prefixCaching, log));
            }
            Set<String> keys = new LinkedHashSet<>(apiKeys);
            if (f.apiKeys() != null) {
                keys.addAll(f.apiKeys());
            }
            addFromEnv(keys, f.apiKeysEnv());
            addFromEnv(keys, "CASCADE_API_KEY");
            keys.removeIf(String::isBlank);
            String bindHost = pick(host, f.host(), "127.0.0.1");
            int bindPort = pick(port, f.port(), 8080);
            int body = (int) Math.min(Integer.MAX_VALUE, ByteSize.parse(pick(maxBody, f.maxBody(), "8m"), "--max-body"));
            List<ServedCascade> cascades = new ArrayList<>();
            for (CascadeSettings c : cascadeSettings) {
                CascadeSpec spec = Cascades.spec(c, false, name -> served.stream().filter(m -> m.name().equals(name)).findFirst()
                        .map(m -> new JudgeModel(m.name(), m.loop(), m.tokenizer())).orElse(null));
                List<ServedModel> stages = new ArrayList<>();
                List<RemoteStage> remotes = new ArrayList<>();
                for (int i = 0; i < spec.stages().size(); i++) {
                    StageSpec st = spec.stages().get(i);
                    var settings = c.stages().get(i);
                    if (settings.url() != null) {
                        stages.add(null);
                        remotes.add(RemoteStage.of(spec.name(), settings));
                        continue;
                    }
                    stages.add(served.stream().filter(m -> m.name().equals(st.model())).findFirst().orElseThrow(
                            () -> new IllegalArgumentException("cascade " + spec.name() + ": no served model is named " + st.model()
                                    + " (a remote stage needs 'url')")));
                    remotes.add(null);
                }
                cascades.add(new ServedCascade(spec, stages, remotes, System.currentTimeMillis() / 1000));
                log.println("cascade " + spec.name() + ": " + String.join(" -> ", spec.stages().stream()
                        .map(st -> st.model() + " (" + st.scorer().name() + " >= " + st.threshold() + ")").toList())
                        + ", fallback " + spec.fallback().name().toLowerCase()
                        + (spec.router() == null ? "" : ", learned router to " + spec.stages().get(spec.router().stage()).model()
                        + " above " + spec.router().threshold()));
            }
            ApiServer server = new ApiServer(served, cascades, new ApiServer.Options(bindHost, bindPort, body, keys, Limits.DEFAULT));
            int bound = server.start();
            List<String> names = new ArrayList<>(served.stream().map(ServedModel::name).toList());
            cascades.forEach(c -> names.add(c.name()));
            log.println("serving " + String.join(", ", names) + " on http://"
                    + bindHost + ":" + bound + (keys.isEmpty() ? "" : " (API key required)"));
            log.flush();
            return server;
        } catch (RuntimeException | InterruptedException e) {
            for (ServedModel m : served) {
                m.close();
            }
            throw e;
        }
    }

    private static void addFromEnv(Set<String> keys, String variable) {
        if (variable == null) {
            return;
        }
        String v = System.getenv(variable);
        if (v != null) {
            for (String k : v.split(",")) {
                keys.add(k.trim());
            }
        }
    }

    private static <T> T pick(T option, T fromFile, T fallback) {
        return option != null ? option : fromFile != null ? fromFile : fallback;
    }
}
