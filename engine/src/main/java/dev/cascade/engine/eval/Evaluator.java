package dev.cascade.engine.eval;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Runs an evaluation set through one model in batches (greedy unless told otherwise) and applies
 * each item's checker.
 */
public final class Evaluator {
    private final Generator generator;
    private final Tokenizer tokenizer;
    private final int batchSize;
    private final int maxTokens;
    private final SamplingParams sampling;

    public Evaluator(Generator generator, Tokenizer tokenizer, int batchSize, int maxTokens, SamplingParams sampling) {
        this.generator = generator;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.maxTokens = maxTokens;
        this.sampling = sampling;
    }

    /** {@code progress} (may be null) hears the number of items done after each batch. */
    public EvalReport run(List<EvalItem> items, IntConsumer progress) {
        long start = System.nanoTime();
        List<EvalReport.Result> results = new ArrayList<>(items.size());
        long tokens = 0;
        for (int from = 0; from < items.size(); from += batchSize) {
            List<EvalItem> batch = items.subList(from, Math.min(items.size(), from + batchSize));
            List<GenerationRequest> requests = new ArrayList<>(batch.size());
            for (EvalItem item : batch) {
                requests.add(new GenerationRequest(tokenizer.encode(item.prompt(), true), sampling, maxTokens, List.of(), false));
            }
            List<Completion> done = generator.generate(requests, null);
            for (int i = 0; i < batch.size(); i++) {
                EvalItem item = batch.get(i);
                Completion c = done.get(i);
                tokens += c.tokens().length;
                results.add(new EvalReport.Result(item, c.text(), Checkers.check(item.checker(), c.text(), item.answer()),
                        c.tokens().length));
            }
            if (progress != null) {
                progress.accept(results.size());
            }
        }
        Map<String, int[]> tally = new java.util.TreeMap<>(Evaluator::byDifficulty);
        for (EvalReport.Result r : results) {
            int[] t = tally.computeIfAbsent(r.item().difficulty(), k -> new int[2]);
            t[0] += r.correct() ? 1 : 0;
            t[1]++;
        }
        Map<String, Double> accuracy = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        tally.forEach((k, t) -> {
            accuracy.put(k, t[0] / (double) t[1]);
            counts.put(k, t[1]);
        });
        return new EvalReport(results, accuracy, counts, tokens, (System.nanoTime() - start) / 1e9);
    }

    /** easy, medium, hard first, in that order; other labels after them, alphabetically. */
    public static int byDifficulty(String a, String b) {
        List<String> known = List.of("easy", "medium", "hard");
        int ia = known.indexOf(a);
        int ib = known.indexOf(b);
        if (ia >= 0 || ib >= 0) {
            return Integer.compare(ia < 0 ? known.size() : ia, ib < 0 ? known.size() : ib) != 0
                    ? Integer.compare(ia < 0 ? known.size() : ia, ib < 0 ? known.size() : ib) : a.compareTo(b);
        }
        return a.compareTo(b);
    }
}
