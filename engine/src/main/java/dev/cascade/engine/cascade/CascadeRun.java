package dev.cascade.engine.cascade;

import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.Sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request going through a cascade: stage i runs; when it finishes its scorer decides; at or
 * above the threshold the answer is accepted, otherwise stage i + 1 starts. While a stage whose
 * scorer can only fall generates, each token checks whether the threshold is still reachable;
 * once it is not, the stage is stopped and the next one starts at once (early escalation).
 *
 * <p>Listener calls arrive on the stages' scheduler threads (or, after a scorer that asks another
 * model, on that model's), one stage at a time, so the state here is only ever touched by one
 * thread at once; {@link #cancel} may come from any thread.
 */
public final class CascadeRun {
    private static final Logger LOG = Logger.getLogger(CascadeRun.class.getName());

    /** Starts a stage's generation and returns what cancels it. */
    @FunctionalInterface
    public interface StageStarter {
        Runnable start(SequenceListener listener);
    }

    /** Hears the cascade; called on a scheduler thread. */
    public interface Listener {
        /** Stage {@code index} is starting (the server sends a keep-alive while it runs). */
        void onStage(int index);

        void onFinished(CascadeResult result);

        void onError(RuntimeException error);
    }

    private final CascadeSpec spec;
    private final List<StageStarter> starters;
    private final Listener listener;
    private final List<StageTrace> traces = new ArrayList<>();
    private final List<Completion> answers = new ArrayList<>();
    private final StartDecision entry;
    private final int first;
    /** The prompt, for scorers that judge an answer against it. */
    private final String question;
    private volatile Runnable cancelCurrent;
    private volatile boolean cancelled;

    /** @param firstStage where the request starts (0, or later when a routing rule skips stages) */
    public CascadeRun(CascadeSpec spec, List<StageStarter> starters, Listener listener, int firstStage) {
        this(spec, starters, listener, new StartDecision(firstStage, firstStage == 0 ? "default" : "caller", Double.NaN));
    }

    /** @param start where the request starts ({@link CascadeSpec#start}) */
    public CascadeRun(CascadeSpec spec, List<StageStarter> starters, Listener listener, StartDecision start) {
        this(spec, starters, listener, start, "");
    }

    /**
     * @param start    where the request starts ({@link CascadeSpec#start})
     * @param question the prompt's text (the user's, for a chat), which a judge scorer reads
     */
    public CascadeRun(CascadeSpec spec, List<StageStarter> starters, Listener listener, StartDecision start, String question) {
        if (starters.size() != spec.stages().size()) {
            throw new IllegalArgumentException(spec.stages().size() + " stages but " + starters.size() + " starters");
        }
        this.spec = spec;
        this.starters = List.copyOf(starters);
        this.listener = listener;
        this.entry = start;
        this.first = start.stage();
        this.question = question;
    }

    public void start() {
        startStage(first);
    }

    /** Stops whatever stage is running; the listener then hears nothing more. */
    public void cancel() {
        cancelled = true;
        Runnable c = cancelCurrent;
        if (c != null) {
            c.run();
        }
    }

    private void startStage(int index) {
        if (cancelled) {
            return;
        }
        listener.onStage(index);
        StageListener stage = new StageListener(index);
        cancelCurrent = starters.get(index).start(stage);
        if (cancelled) {
            cancelCurrent.run();
        }
    }

    private final class StageListener implements SequenceListener {
        final int index;
        final StageSpec stage;
        final boolean last;
        final long start = System.nanoTime();
        float[] logprobs = new float[32];
        int count;
        boolean earlyEscalated;

        StageListener(int index) {
            this.index = index;
            this.stage = spec.stages().get(index);
            this.last = index == spec.stages().size() - 1;
        }

        @Override
        public void onToken(TokenEvent event, Sample sample) {
            if (event.token() < 0 || earlyEscalated) {
                return;
            }
            if (count == logprobs.length) {
                logprobs = Arrays.copyOf(logprobs, count * 2);
            }
            logprobs[count++] = event.logprob();
            if (!last && spec.earlyEscalation() && stage.scorer().bestReachable(logprobs, count) < stage.threshold()) {
                earlyEscalated = true;
                Runnable c = cancelCurrent;
                if (c != null) {
                    c.run(); // onFinish follows with ABORT
                }
            }
        }

        @Override
        public void onFinish(Completion c) {
            if (cancelled) {
                return;
            }
            if (earlyEscalated) {
                double latency = (System.nanoTime() - start) / 1e6;
                double scoring = stage.scorer().cost();
                // the tokens up to the decision: the abort lands a step or two later, as the
                // scheduler's timing has it, and what it produced meanwhile is not the cascade's
                int used = Math.min(count, c.tokens().length);
                double cost = stage.cost(c.promptTokens(), used) + scoring;
                double reach = stage.scorer().bestReachable(logprobs, count);
                traces.add(new StageTrace(stage.model(), reach, false, true, c.promptTokens(), used, cost, scoring, latency));
                answers.add(null);
                startStage(index + 1);
                return;
            }
            if (c.finishReason() == FinishReason.ABORT) {
                listener.onError(new IllegalStateException("stage " + stage.model() + " was aborted"));
                return;
            }
            // the scorer may answer later, on another thread (a judge model's): the cascade goes on there
            stage.scorer().scoreAsync(new StageAnswer(c.text(), c.logprobs(), question)).whenComplete((scored, failure) -> {
                if (failure != null) {
                    // an answer that cannot be scored is not trusted: on to the next stage (or the fallback)
                    LOG.log(Level.WARNING, "cascade " + spec.name() + ", stage " + stage.model() + ": scoring failed", failure);
                    scored = new Scored(Double.NEGATIVE_INFINITY, 0);
                }
                decide(c, scored);
            });
        }

        /** Accepts the scored answer, starts the next stage, or falls back when this was the last. */
        private void decide(Completion c, Scored scored) {
            if (cancelled) {
                return;
            }
            double latency = (System.nanoTime() - start) / 1e6;
            double cost = stage.cost(c.promptTokens(), c.tokens().length) + scored.cost();
            double score = scored.score();
            boolean accepted = score >= stage.threshold();
            traces.add(new StageTrace(stage.model(), score, accepted, false, c.promptTokens(), c.tokens().length, cost, scored.cost(),
                    latency));
            answers.add(c);
            if (accepted) {
                listener.onFinished(new CascadeResult(c, index, List.copyOf(traces), entry));
            } else if (!last) {
                startStage(index + 1);
            } else {
                int pick = index;
                if (spec.fallback() == CascadeSpec.Fallback.BEST) {
                    for (int i = 0; i < answers.size(); i++) {
                        if (answers.get(i) != null && traces.get(i).score() > traces.get(pick - first).score()) {
                            pick = i + first;
                        }
                    }
                }
                listener.onFinished(new CascadeResult(answers.get(pick - first), pick, List.copyOf(traces), entry));
            }
        }

        @Override
        public void onError(RuntimeException error) {
            if (!cancelled) {
                listener.onError(error);
            }
        }
    }
}
