package dev.cascade.engine.cascade;

import dev.cascade.engine.eval.Checkers;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs a labelled set through a cascade, and through its last stage alone for comparison, with
 * many requests in flight so that every stage's scheduler batches them. Greedy. Stages run here or
 * on another server ({@link EvalStage}); routing rules count prompt tokens with the first local
 * stage's tokenizer, or at about 4 characters a token when every stage is remote
 * ({@link EvalStage#promptTokens}).
 */
public final class CascadeEvaluator {

    /** One item's outcome: through the cascade, and from the last stage alone. */
    public record ItemResult(EvalItem item, CascadeResult cascade, boolean correct, double latencyMs,
                             Completion alone, boolean aloneCorrect, double aloneCost, double aloneLatencyMs) {
    }

    private final CascadeSpec spec;
    private final List<EvalStage> stages;
    private final int maxTokens;
    private final int inFlight;

    /** @param stages one per stage of the spec, in its order */
    public CascadeEvaluator(CascadeSpec spec, List<? extends EvalStage> stages, int maxTokens, int inFlight) {
        if (stages.size() != spec.stages().size()) {
            throw new IllegalArgumentException(spec.stages().size() + " stages but " + stages.size() + " to run them");
        }
        this.spec = spec;
        this.stages = List.copyOf(stages);
        this.maxTokens = maxTokens;
        this.inFlight = inFlight;
    }

    /**
     * Runs every item through the cascade, then through the last stage alone. The first item that
     * fails (a stage's error, a remote stage that does not answer) stops it: nothing more is sent,
     * and an ExecutionException names the item, with the stage's error as its cause.
     */
    public List<ItemResult> run(List<EvalItem> items, IntConsumer progress) throws Exception {
        int last = spec.stages().size() - 1;
        List<CompletableFuture<Object[]>> cascades = new ArrayList<>();
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<ExecutionException> failed = new AtomicReference<>();
        int[] done = {0};
        for (int k = 0; k < items.size() && failed.get() == null; k++) {
            EvalItem item = items.get(k);
            int at = k;
            window.acquire();
            CompletableFuture<Object[]> f = new CompletableFuture<>();
            long start = System.nanoTime();
            List<CascadeRun.StageStarter> starters = new ArrayList<>();
            for (int i = 0; i <= last; i++) {
                int stage = i;
                starters.add(listener -> stages.get(stage).start(item.prompt(), maxTokens, listener));
            }
            cascades.add(f.whenComplete((r, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, failure(at, item, "through " + spec.name(), e));
                }
                synchronized (done) {
                    done[0]++;
                    if (progress != null) {
                        progress.accept(done[0]);
                    }
                }
            }));
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
            }, spec.start(item.prompt(), EvalStage.promptTokens(stages, item.prompt())), item.prompt()).start();
        }
        List<CompletableFuture<Object[]>> alone = new ArrayList<>();
        for (int k = 0; k < items.size() && failed.get() == null; k++) {
            EvalItem item = items.get(k);
            int at = k;
            window.acquire();
            CompletableFuture<Object[]> f = new CompletableFuture<>();
            long start = System.nanoTime();
            alone.add(f.whenComplete((r, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, failure(at, item, "through " + spec.stages().get(last).model() + " alone", e));
                }
            }));
            stages.get(last).start(item.prompt(), maxTokens, new SequenceListener() {
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
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        List<ItemResult> out = new ArrayList<>();
        StageSpec lastStage = spec.stages().get(last);
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            Object[] c;
            Object[] a;
            try {
                c = cascades.get(i).get(10, TimeUnit.MINUTES);
                a = alone.get(i).get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw failed.get() != null ? failed.get() : e;
            }
            CascadeResult r = (CascadeResult) c[0];
            Completion solo = (Completion) a[0];
            out.add(new ItemResult(item, r, Checkers.check(item.checker(), r.answer().text(), item.answer()), (double) c[1],
                    solo, Checkers.check(item.checker(), solo.text(), item.answer()),
                    lastStage.cost(solo.promptTokens(), solo.tokens().length), (double) a[1]));
        }
        return out;
    }

    /** An item's failure, naming its index in the list (from 0) and its id. */
    private static ExecutionException failure(int index, EvalItem item, String how, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return new ExecutionException("the item at index " + index + " (id " + item.id() + ") failed " + how + ": "
                + cause.getMessage(), cause);
    }
}
