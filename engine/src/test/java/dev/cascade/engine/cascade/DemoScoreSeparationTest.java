package dev.cascade.engine.cascade;

import dev.cascade.engine.eval.Checkers;
import dev.cascade.engine.eval.EvalDataset;
import dev.cascade.engine.eval.EvalItem;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.KvLayout;
import dev.cascade.kernels.cpu.CpuBackend;
import dev.cascade.weights.DemoModels;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why the demo cascade can pay: demo-tiny's own confidence tells its right answers from its wrong
 * ones. On 500 eval items, min_logprob ranks a right answer above a wrong one with probability
 * (ROC AUC) well above chance.
 */
class DemoScoreSeparationTest {

    @Test
    void tinysMinLogprobSeparatesRightFromWrong() throws Exception {
        Path folder = DemoModels.folder("demo-tiny");
        List<EvalItem> items = EvalDataset.read(folder.getParent().resolve("eval.jsonl")).subList(0, 500);
        List<Double> right = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        Scorer min = LogprobScorers.min();
        try (Model m = ModelLoader.load(folder, null)) {
            int batch = 50;
            KvLayout layout = new KvLayout(m.config().layers(), batch * 4, 16, m.config().kvHeads(), m.config().headDim());
            Transformer t = new Transformer(m, new CpuBackend(2), layout, 512);
            Generator g = new Generator(t, m.tokenizer(), EndTokens.of(m), layout, batch);
            for (int from = 0; from < items.size(); from += batch) {
                List<GenerationRequest> requests = new ArrayList<>();
                for (EvalItem item : items.subList(from, from + batch)) {
                    requests.add(GenerationRequest.greedy(m.tokenizer().encode(item.prompt(), true), 24));
                }
                List<Completion> done = g.generate(requests, null);
                for (int i = 0; i < batch; i++) {
                    EvalItem item = items.get(from + i);
                    Completion c = done.get(i);
                    double score = min.score(new StageAnswer(c.text(), c.logprobs()));
                    (Checkers.check(item.checker(), c.text(), item.answer()) ? right : wrong).add(score);
                }
            }
            t.close();
        }
        double auc = auc(right, wrong);
        System.out.printf("demo-tiny min_logprob: %d right, %d wrong, ROC AUC %.3f%n", right.size(), wrong.size(), auc);
        assertTrue(wrong.size() >= 20, "tiny should get a fair number wrong: " + wrong.size());
        assertTrue(auc > 0.85, "min_logprob should separate tiny's right and wrong answers; AUC " + auc);
    }

    /** P(score of a right answer > score of a wrong one), ties counting half. */
    static double auc(List<Double> right, List<Double> wrong) {
        double wins = 0;
        for (double r : right) {
            for (double w : wrong) {
                wins += r > w ? 1 : r == w ? 0.5 : 0;
            }
        }
        return wins / ((double) right.size() * wrong.size());
    }
}
