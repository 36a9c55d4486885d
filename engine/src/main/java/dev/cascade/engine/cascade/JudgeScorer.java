package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code judge} scorer: another model served here reads the question and the answer, filled
 * into a prompt template, and the score is its probability that the answer is right — the softmax
 * of its logits at the first generated position, summed over the tokens whose text is a "yes"
 * word ("Yes", " Yes", "yes", ...). Scoring costs the judge's prompt and one generated token at
 * the judge's prices.
 *
 * <p>The judge runs on its own model's scheduler, which may be a stage of the same cascade, even
 * the stage being judged: {@link #scoreAsync} only queues the request and returns, and the cascade
 * goes on when the judge's one token arrives.
 */
public final class JudgeScorer implements Scorer {
    public static final String DEFAULT_TEMPLATE = """
            Question: {question}
            Proposed answer: {answer}
            Is the proposed answer correct? Answer Yes or No.
            Answer:""";
    public static final List<String> DEFAULT_YES = List.of("Yes");

    private final JudgeModel judge;
    private final String template;
    private final int[] yes;
    private final double promptCost;
    private final double generatedCost;

    /**
     * @param template the judge's prompt, with {@code {question}} and {@code {answer}} where those go
     * @param yesWords words that count as yes: every token whose text, trimmed, is one of them
     *                 (ignoring case) adds its probability
     */
    public JudgeScorer(JudgeModel judge, String template, List<String> yesWords, double promptCost, double generatedCost) {
        if (!template.contains("{answer}")) {
            throw new IllegalArgumentException("the judge's template has no {answer}");
        }
        this.judge = judge;
        this.template = template;
        this.yes = yesTokens(judge.tokenizer(), yesWords);
        this.promptCost = promptCost;
        this.generatedCost = generatedCost;
        if (yes.length == 0) {
            throw new IllegalArgumentException("the judge model " + judge.name() + " has no token whose text is " + yesWords
                    + "; give yes words that are tokens of its vocabulary");
        }
    }

    /** Every id whose text, trimmed, is one of the words, ignoring case. */
    public static int[] yesTokens(Tokenizer tokenizer, List<String> words) {
        List<String> wanted = words.stream().map(w -> w.strip().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).toList();
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            String text = tokenizer.decode(new int[] {id}, true).strip().toLowerCase(Locale.ROOT);
            if (wanted.contains(text)) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    public int[] yesTokens() {
        return yes.clone();
    }

    /** The judge's prompt for an answer. */
    public String prompt(StageAnswer answer) {
        return template.replace("{question}", answer.question()).replace("{answer}", answer.text());
    }

    @Override
    public String name() {
        return "judge";
    }

    /** What one verdict costs for a judge prompt of this many tokens: those and one generated token. */
    public double cost(int promptTokens) {
        return promptCost * promptTokens + generatedCost;
    }

    /** Waits for the judge: for offline use only, never on a scheduler thread (it may be the judge's own). */
    @Override
    public double score(StageAnswer answer) {
        return scoreAsync(answer).join().score();
    }

    @Override
    public CompletableFuture<Scored> scoreAsync(StageAnswer answer) {
        CompletableFuture<Scored> verdict = new CompletableFuture<>();
        try {
            int[] prompt = judge.tokenizer().encode(prompt(answer), true);
            // one greedy token, past end-of-sequence too, so that its sample (with the yes tokens' log-probabilities) always arrives
            GenerationRequest request = new GenerationRequest(prompt, SamplingParams.GREEDY, 1, List.of(), true, yes);
            judge.loop().submit(0, request, new SequenceListener() {
                double pYes = Double.NaN;

                @Override
                public void onToken(TokenEvent event, Sample sample) {
                    if (sample != null && Double.isNaN(pYes)) {
                        double sum = 0;
                        for (float lp : sample.probeLogprobs) {
                            sum += Math.exp(lp);
                        }
                        pYes = Math.min(1, sum);
                    }
                }

                @Override
                public void onFinish(Completion c) {
                    if (Double.isNaN(pYes)) {
                        verdict.completeExceptionally(new IllegalStateException("the judge " + judge.name() + " ended without a token ("
                                + c.finishReason() + ")"));
                    } else {
                        verdict.complete(new Scored(pYes, cost(c.promptTokens())));
                    }
                }

                @Override
                public void onError(RuntimeException error) {
                    verdict.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            verdict.completeExceptionally(e); // a prompt too long for the judge, a full queue, shutdown
        }
        return verdict;
    }
}
