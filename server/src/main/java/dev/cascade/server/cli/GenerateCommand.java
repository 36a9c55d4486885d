package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.generate.ChatPrompt;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.GenerationRequest;
import dev.cascade.engine.generate.Generator;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.model.Transformer;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.kernels.Backends;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.GenerationDefaults;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;
import dev.cascade.weights.chat.ChatMessage;
import dev.cascade.weights.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cascade generate}: one prompt, streamed to standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text for one prompt, streaming it to standard output; speeds go to standard error.")
final class GenerateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt", required = true, paramLabel = "P", description = "The prompt text.")
    String prompt;

    @Option(names = "--chat", description = "Send the prompt as a user message through the model's chat template.")
    boolean chat;

    @Option(names = "--system", paramLabel = "S", description = "With --chat: a system message first.")
    String system;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxTokens = 256;

    @Option(names = "--temperature", paramLabel = "T", description = "0 for greedy (default: the model's, else 0.8).")
    Float temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus mass (default: the model's, else 0.95).")
    Float topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens, 0 for all (default: the model's, else 40).")
    Integer topK;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens below P × the top probability (default: the model's, else 0.05).")
    Float minP;

    @Option(names = "--repeat-penalty", paramLabel = "R", description = "Repetition penalty, 1 for none (default: the model's, else 1).")
    Float repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Makes sampling reproducible.")
    Long seed;

    @Option(names = "--stop", paramLabel = "S", description = "Stop before this text (repeatable).")
    List<String> stop = List.of();

    @Option(names = "--json", description = "Print one JSON object per token (id, text, logprob) instead of the text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LoadedModel loaded = modelOptions.load(err)) {
            Model m = loaded.model();
            Tokenizer tok = m.tokenizer();
            if (tok == null) {
                throw new IllegalArgumentException("this model has no tokenizer; llama2.c models take --tokenizer PATH");
            }
            ModelConfig c = m.config();
            int[] ids = chat ? chatPrompt(m) : tok.encode(prompt, true);
            if (ids.length == 0) {
                throw new IllegalArgumentException("the prompt encodes to no tokens");
            }
            int context = Math.min(c.contextLength(), ids.length + maxTokens);
            KvLayout layout = new KvLayout(c.layers(), (context + KvLayout.DEFAULT_BLOCK_SIZE - 1) / KvLayout.DEFAULT_BLOCK_SIZE,
                    KvLayout.DEFAULT_BLOCK_SIZE, c.kvHeads(), c.headDim());
            Transformer t = new Transformer(m, loaded.backend(), layout, Math.max(ids.length, 1));
            Generator g = new Generator(t, tok, EndTokens.of(m), layout, 1);
            GenerationRequest request = new GenerationRequest(ids, sampling(m.generationDefaults()), maxTokens, stop, false);

            if (!json) {
                out.print(prompt);
                out.flush();
            }
            long start = System.nanoTime();
            long[] firstToken = {0};
            Completion result = g.generate(List.of(request), e -> {
                if (firstToken[0] == 0) {
                    firstToken[0] = System.nanoTime();
                }
                emit(out, e);
            }).getFirst();
            long end = System.nanoTime();
            if (!json) {
                out.println();
            }
            out.flush();
            report(err, ids.length, result.tokens().length, start, firstToken[0], end, result);
        }
        return 0;
    }

    private int[] chatPrompt(Model m) {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(prompt));
        return ChatPrompt.of(m).encode(messages, true, Map.of());
    }

    private void emit(PrintWriter out, TokenEvent e) {
        if (json) {
            if (e.token() < 0) {
                return; // text released at the end belongs to tokens already printed
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("id", e.token());
            o.put("text", e.text());
            o.put("logprob", e.logprob());
            out.println(o);
        } else {
            out.print(e.text());
        }
        out.flush();
    }

    private SamplingParams sampling(GenerationDefaults d) {
        boolean modelSaysGreedy = Boolean.FALSE.equals(d.doSample());
        float t = temperature != null ? temperature : modelSaysGreedy ? 0f : d.temperature() != null ? d.temperature() : 0.8f;
        float p = topP != null ? topP : d.topP() != null ? d.topP() : 0.95f;
        int k = topK != null ? topK : d.topK() != null ? d.topK() : 40;
        float mp = minP != null ? minP : d.minP() != null ? d.minP() : 0.05f;
        float rp = repetitionPenalty != null ? repetitionPenalty : d.repetitionPenalty() != null ? d.repetitionPenalty() : 1f;
        return new SamplingParams(t, k, p, mp, rp, 0f, 0f, seed, 0);
    }

    private static void report(PrintWriter err, int promptTokens, int generated, long start, long first, long end,
                               Completion result) {
        double prefillSeconds = ((first == 0 ? end : first) - start) / 1e9;
        double decodeSeconds = (end - (first == 0 ? end : first)) / 1e9;
        err.printf("prompt: %d tokens, %.1f tokens/s; generated: %d tokens, %.1f tokens/s; finish: %s%n",
                promptTokens, promptTokens / prefillSeconds, generated,
                generated > 1 ? (generated - 1) / decodeSeconds : 0.0, result.finishReason().apiName());
        err.flush();
    }
}
