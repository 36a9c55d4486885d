package dev.cascade.server.http;

import dev.cascade.engine.generate.ChatPrompt;
import dev.cascade.engine.generate.EndTokens;
import dev.cascade.engine.generate.Scheduler;
import dev.cascade.engine.generate.SchedulerLimits;
import dev.cascade.engine.generate.ServingLoop;
import dev.cascade.engine.model.Transformer;
import dev.cascade.kernels.Backend;
import dev.cascade.kernels.KvLayout;
import dev.cascade.weights.Model;
import dev.cascade.weights.ModelConfig;

import java.io.PrintWriter;

/** Puts a loaded model behind a scheduler and its loop, with the KV cache sized from a byte budget. */
public final class ModelServing {
    /** Largest KV block accepted: a block past this wastes more of the cache than it saves. */
    public static final int MAX_BLOCK_SIZE = 1024;

    private ModelServing() {
    }

    /** Rejects a block size outside 1..MAX_BLOCK_SIZE, naming the option. */
    public static void checkBlockSize(int blockSize) {
        if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("--block-size must be 1.." + MAX_BLOCK_SIZE + " tokens, got " + blockSize);
        }
    }

    /**
     * @param kvBytes the KV budget; the cache takes what it holds, but never more than maxSeqs full
     *                contexts, and it must hold at least one full context
     */
    public static ServedModel serve(String name, Model model, Backend backend, long kvBytes, int maxSeqs,
                                    int maxBatchedTokens, int maxWaiting, PrintWriter log) {
        return serve(name, model, backend, kvBytes, maxSeqs, maxBatchedTokens, maxWaiting, true, log);
    }

    /** @param prefixCaching whether full KV blocks are kept for later prompts that begin the same way */
    public static ServedModel serve(String name, Model model, Backend backend, long kvBytes, int maxSeqs,
                                    int maxBatchedTokens, int maxWaiting, boolean prefixCaching, PrintWriter log) {
        return serve(name, model, backend, kvBytes, KvLayout.DEFAULT_BLOCK_SIZE, maxSeqs, maxBatchedTokens, maxWaiting,
                prefixCaching, log);
    }

    /**
     * @param blockSize tokens per KV block: the unit of KV allocation and of prefix sharing (a
     *                  prompt reuses only whole cached blocks, so smaller blocks share more of it)
     */
    public static ServedModel serve(String name, Model model, Backend backend, long kvBytes, int blockSize, int maxSeqs,
                                    int maxBatchedTokens, int maxWaiting, boolean prefixCaching, PrintWriter log) {
        checkBlockSize(blockSize);
        if (model.tokenizer() == null) {
            throw new IllegalArgumentException(name + ": the model has no tokenizer; llama2.c models need a tokenizer file");
        }
        ModelConfig c = model.config();
        int perContext = (c.contextLength() + blockSize - 1) / blockSize;
        int fit = KvLayout.blocksFor(kvBytes, c.layers(), blockSize, c.kvHeads(), c.headDim());
        if (fit < perContext) {
            long needed = (long) perContext * blockSize * 2L * c.layers() * c.kvHeads() * c.headDim() * Float.BYTES;
            throw new IllegalArgumentException(name + ": a KV budget of " + kvBytes + " bytes holds " + (long) fit * blockSize
                    + " tokens, less than one full context of " + c.contextLength() + " tokens; give at least "
                    + (needed + (1 << 20) - 1) / (1 << 20) + "m");
        }
        int blocks = (int) Math.min(fit, (long) perContext * maxSeqs);
        KvLayout layout = new KvLayout(c.layers(), blocks, blockSize, c.kvHeads(), c.headDim());
        Transformer t = new Transformer(model, backend, layout, maxBatchedTokens);
        Scheduler scheduler = new Scheduler(t, model.tokenizer(), EndTokens.of(model), layout,
                new SchedulerLimits(maxSeqs, maxBatchedTokens, prefixCaching));
        ChatPrompt chat = model.chatTemplate() == null ? null : ChatPrompt.of(model);
        log.printf("%s: KV cache %.1f MiB = %,d blocks of %d = %,d tokens (%.1f full contexts of %,d); up to %d sequences, "
                        + "%d tokens per step; prefix caching %s%n", name, layout.totalBytes() / 1048576.0, blocks, blockSize,
                layout.tokens(), layout.tokens() / (double) c.contextLength(), c.contextLength(), maxSeqs, maxBatchedTokens,
                prefixCaching ? "on" : "off");
        log.flush();
        ServingLoop loop = new ServingLoop(scheduler, maxWaiting, "cascade-" + name);
        return new ServedModel(name, model, loop, chat, System.currentTimeMillis() / 1000, () -> {
            t.close();
            model.close();
        });
    }
}
