package dev.cascade.engine.cascade;

import dev.cascade.engine.eval.Checkers;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs a labelled set through a cascade, and through its last stage alone for comparison, with
 * many requests in flight so that every stage's scheduler batches them. Greedy.
 */
public final class CascadeEvaluator {

    /** One item's outcome: through the cascade, and from the last stage alone. */
    public record ItemResult(EvalItem item, CascadeResult cascade, boolean correct, double latencyMs,
                             Completion alone, boolean aloneCorrect, double aloneCost, double aloneLatencyMs) {
    }

    private final CascadeSpec spec;
    private final List<ServingLoop> loops;
    private final List<Tokenizer> tokenizers;
    private final int maxTokens;
    private final int inFlight;

    public CascadeEvaluator(CascadeSpec spec, List<ServingLoop> loops, List<Tokenizer> tokenizers, int maxTokens, int inFlight) {
        this.spec = spec;
        this.loops = List.copyOf(loops);
        this.tokenizers = List.copyOf(tokenizers);
        this.maxTokens = maxTokens;
        this.inFlight = inFlight;
    }

    public List<ItemResult> run(List<EvalItem> items, IntConsumer progress) throws Exception {
        int last = spec.stages().size() - 1;
        List<CompletableFuture<Object[]>> cascades = new ArrayList<>();
        Semaphore window = new Semaphore(inFlight);
        int[] done = {0};
        for (EvalItem item : items) {
            window.acquire();
            CompletableFuture<Object[]> f = new CompletableFuture<>();
            long start = System.nanoTime();
            List<CascadeRun.StageStarter> starters = new ArrayList<>();
            for (int i = 0; i <= last; i++) {
                int stage = i;
                starters.add(listener -> loops.get(stage).submit(0, request(stage, item), listener)::cancel);
            }
            new CascadeRun(spec, starters, new CascadeRun.Listener() {
                @Override
                public void onStage(int index) {
                }

                @Override
                public void onFinished(CascadeResult result) {
                    window.release();
                    f.complete(new Object[] {result, (System.nanoTime() - start) / 1e6});
                }

                @Override
                public void onError(RuntimeException error) {
                    window.release();
                    f.completeExceptionally(error);
                }
            }, spec.start(item.prompt(), tokenizers.getFirst().encode(item.prompt(), true).length), item.prompt()).start();
            cascades.add(f.whenComplete((r, e) -> {
                synchronized (done) {
                    done[0]++;
                    if (progress != null) {
                        progress.accept(done[0]);
                    }
                }
            }));
        }
        List<CompletableFuture<Object[]>> alone = new ArrayList<>();
        for (EvalItem item : items) {
            window.acquire();
            CompletableFuture<Object[]> f = new CompletableFuture<>();
            long start = System.nanoTime();
            loops.get(last).submit(0, request(last, item), new SequenceListener() {
                @Override
                public void onToken(TokenEvent event, Sample sample) {
                }

                @Override
                public void onFinish(Completion completion) {
                    window.release();
                    f.complete(new Object[] {completion, (System.nanoTime() - start) / 1e6});
                }

                @Override
                public void onError(RuntimeException error) {
                    window.release();
                    f.completeExceptionally(error);
                }
            });
            alone.add(f);
        }
        List<ItemResult> out = new ArrayList<>();
        StageSpec lastStage = spec.stages().get(last);
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            Object[] c = cascades.get(i).get(10, TimeUnit.MINUTES);
            Object[] a = alone.get(i).get(10, TimeUnit.MINUTES);
            CascadeResult r = (CascadeResult) c[0];
            Completion solo = (Completion) a[0];
            out.add(new ItemResult(item, r, Checkers.check(item.checker(), r.answer().text(), item.answer()), (double) c[1],
                    solo, Checkers.check(item.checker(), solo.text(), item.answer()),
                    lastStage.cost(solo.promptTokens(), solo.tokens().length), (double) a[1]));
        }
        return out;
    }

    private GenerationRequest request(int stage, EvalItem item) {
        return GenerationRequest.greedy(tokenizers.get(stage).encode(item.prompt(), true), maxTokens);
    }
}
