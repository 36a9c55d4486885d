package dev.cascade.server.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load: {@code concurrency} clients, each sending its next request as soon as its last one ends,
 * until {@code requests} have been sent. The prompts are used in turn.
 */
public final class LoadRun {
    private final ServerConnection server;
    private final CompletionRequest request;
    private final List<String> prompts;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAdder liveTokens = new LongAdder();

    /** A moment of a run, for a progress line. */
    public record Progress(int finished, int failed, int inFlight, long tokensSoFar) {
    }

    public LoadRun(ServerConnection server, CompletionRequest request, List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts");
        }
        this.server = server;
        this.request = request;
        this.prompts = List.copyOf(prompts);
    }

    public List<RequestResult> run(int concurrency, int requests) throws InterruptedException {
        List<RequestResult> results = new ArrayList<>(requests);
        AtomicInteger next = new AtomicInteger();
        // one virtual thread per client: each blocks on its own stream, and a thousand of them cost little
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<RequestResult>>> done = new ArrayList<>();
            for (int c = 0; c < Math.min(concurrency, requests); c++) {
                done.add(clients.submit(() -> client(next, requests)));
            }
            for (var f : done) {
                results.addAll(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a load client failed", e.getCause());
        }
        return results;
    }

    private List<RequestResult> client(AtomicInteger next, int requests) {
        List<RequestResult> mine = new ArrayList<>();
        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
            started.incrementAndGet();
            RequestResult r = StreamedRequest.run(server, request, prompts.get(i % prompts.size()), liveTokens);
            mine.add(r);
            if (!r.ok()) {
                failed.incrementAndGet();
            }
            finished.incrementAndGet();
        }
        return mine;
    }

    public Progress progress() {
        int f = finished.get();
        return new Progress(f, failed.get(), started.get() - f, liveTokens.sum());
    }
}
