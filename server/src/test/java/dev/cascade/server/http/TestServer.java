package dev.cascade.server.http;

import dev.cascade.kernels.Backends;
import dev.cascade.server.openai.Limits;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

/**
 * A real server on a free loopback port, serving the bundled demo-tiny (context 64 tokens, a chat
 * template, answers arithmetic) for one test class; {@link #api()} talks to it over HTTP.
 */
final class TestServer implements AutoCloseable {
    static final String MODEL = "demo-tiny";
    /** Ample for a test; a full context of demo-tiny needs far less. */
    private static final long KV_BYTES = 8L << 20;

    /** How the server is set up; each test class changes what it exercises. */
    record Setup(int maxSeqs, int maxWaiting, int maxBodyBytes, Set<String> apiKeys) {
        static final Setup DEFAULT = new Setup(8, 64, 1 << 20, Set.of());

        Setup withQueue(int seqs, int waiting) {
            return new Setup(seqs, waiting, maxBodyBytes, apiKeys);
        }

        Setup withBodyLimit(int bytes) {
            return new Setup(maxSeqs, maxWaiting, bytes, apiKeys);
        }

        Setup withKeys(String... keys) {
            return new Setup(maxSeqs, maxWaiting, maxBodyBytes, Set.of(keys));
        }
    }

    final ApiServer server;
    final int port;

    private TestServer(ApiServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static TestServer start() throws InterruptedException {
        return start(Setup.DEFAULT);
    }

    static TestServer start(Setup setup) throws InterruptedException {
        return start(setup, serve(MODEL, ModelLoader.open(MODEL, null), setup));
    }

    static TestServer start(Setup setup, ServedModel... models) throws InterruptedException {
        ApiServer server = new ApiServer(List.of(models),
                new ApiServer.Options("127.0.0.1", 0, setup.maxBodyBytes(), setup.apiKeys(), Limits.DEFAULT));
        return new TestServer(server, server.start());
    }

    /** demo-tiny's weights and tokenizer without its chat template, under another name. */
    static ServedModel withoutChatTemplate(String name) {
        Model demo = ModelLoader.open(MODEL, null);
        Model plain = Model.builder(demo.format(), demo.config()).tensors(demo.tensors()).tokenizer(demo.tokenizer())
                .eosTokenIds(demo.eosTokenIds()).bosTokenId(demo.bosTokenId()).build();
        ServedModel served = serve(name, plain, Setup.DEFAULT);
        // plain borrows demo's mapped tensors: demo's arena must close after the loop stops
        return new ServedModel(served.name(), plain, served.loop(), served.chat(), served.created(), () -> {
            served.resources().close();
            demo.close();
        });
    }

    static ServedModel serve(String name, Model model, Setup setup) {
        // two threads: the machine running the tests is small and shared
        return ModelServing.serve(name, model, Backends.create("cpu", 2).backend(), KV_BYTES, setup.maxSeqs(), 64,
                setup.maxWaiting(), new PrintWriter(new StringWriter()));
    }

    /** How many first tokens the model has generated: one per choice that has started. */
    long firstTokens() {
        return server.metrics().timeToFirstToken.labelValues(MODEL).getCount();
    }

    Api api() {
        return new Api(port, null);
    }

    Api api(String key) {
        return new Api(port, key);
    }

    @Override
    public void close() {
        server.close();
    }
}
