package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level BPE from a GGUF vocabulary ({@code tokenizer.ggml.model} = "gpt2"), tokenizing as
 * llama.cpp does: the pre-tokenizer rules come from {@code tokenizer.ggml.pre}
 * ({@link LlamaCppPreTokenizers}); control tokens (type 3) are special tokens, matched in the text
 * only when special parsing is on; user-defined tokens (type 4) are always matched.
 */
public final class GgufBpeVocab {
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_USER_DEFINED = 4;

    private GgufBpeVocab() {
    }

    public static Tokenizer fromMetadata(Map<String, Object> metadata, Path file) {
        try {
            return build(metadata);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    private static Tokenizer build(Map<String, Object> metadata) {
        String[] tokens = stringArray(metadata, "tokenizer.ggml.tokens");
        String[] mergeLines = stringArray(metadata, "tokenizer.ggml.merges");
        int[] types = intArray(metadata.get("tokenizer.ggml.token_type"), tokens.length);
        Object preValue = metadata.get("tokenizer.ggml.pre");
        LlamaCppPreTokenizers.Family family = LlamaCppPreTokenizers.forName(preValue == null ? null : preValue.toString());

        String[] texts = new String[tokens.length];
        Map<String, Integer> vocab = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            // llama.cpp renames empty tokens so every id keeps a distinct text.
            texts[i] = tokens[i] == null || tokens[i].isEmpty() ? "[EMPTY_" + i + "]" : tokens[i];
            vocab.put(texts[i], i);
        }
        List<BpeModel.MergeRule> merges = new ArrayList<>(mergeLines.length);
        for (String line : mergeLines) {
            // As llama.cpp: split at the first space after the first char, so a merge may start with a space.
            int space = line.indexOf(' ', 1);
            if (space < 0) {
                throw new IllegalArgumentException("merge '" + line + "' is not two tokens separated by a space");
            }
            merges.add(new BpeModel.MergeRule(line.substring(0, space), line.substring(space + 1)));
        }
        BpeModel model = new BpeModel(texts, vocab, merges,
                new BpeModel.Options(null, false, false, null, null, family.ignoreMerges()), false);

        List<AddedToken> added = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (types != null && (types[i] == TYPE_CONTROL || types[i] == TYPE_USER_DEFINED)) {
                added.add(new AddedToken(i, texts[i], types[i] == TYPE_CONTROL, false, false, false, false));
            }
        }

        int bos = intValue(metadata, "tokenizer.ggml.bos_token_id", tokens.length);
        int eos = intValue(metadata, "tokenizer.ggml.eos_token_id", tokens.length);
        int unk = intValue(metadata, "tokenizer.ggml.unknown_token_id", tokens.length);
        int pad = intValue(metadata, "tokenizer.ggml.padding_token_id", tokens.length);
        List<Integer> endOfGeneration = new ArrayList<>();
        for (int id : new int[] {eos, intValue(metadata, "tokenizer.ggml.eot_token_id", tokens.length),
                intValue(metadata, "tokenizer.ggml.eom_token_id", tokens.length)}) {
            if (id >= 0 && !endOfGeneration.contains(id)) {
                endOfGeneration.add(id);
            }
        }
        boolean addBos = booleanValue(metadata, "tokenizer.ggml.add_bos_token", family.addBosByDefault()) && bos >= 0;
        boolean addEos = booleanValue(metadata, "tokenizer.ggml.add_eos_token", false) && eos >= 0;
        SpecialTokenTemplate template = new SpecialTokenTemplate(addBos ? new int[] {bos} : new int[0],
                addEos ? new int[] {eos} : new int[0]);
        SpecialTokens special = new SpecialTokens(bos, endOfGeneration, unk, pad, addBos, addEos);
        return new BpePipelineTokenizer(new BpePipelineTokenizer.Parts(model, added, null, family.preTokenizer(),
                new Decoder.ByteLevel(), template, special, true));
    }

    private static String[] stringArray(Map<String, Object> metadata, String key) {
        Object v = metadata.get(key);
        if (v instanceof String[] a) {
            return a;
        }
        throw new IllegalArgumentException(v == null ? "has no " + key : key + " is not a string array");
    }

    /** An int32 (int[]) or wider (long[]) array, or null when absent. */
    private static int[] intArray(Object v, int expectedLength) {
        if (v == null) {
            return null;
        }
        int[] a;
        if (v instanceof int[] ints) {
            a = ints;
        } else if (v instanceof long[] longs) {
            a = new int[longs.length];
            for (int i = 0; i < longs.length; i++) {
                a[i] = (int) longs[i];
            }
        } else {
            throw new IllegalArgumentException("tokenizer.ggml.token_type is not an integer array");
        }
        if (a.length != expectedLength) {
            throw new IllegalArgumentException("tokenizer.ggml.token_type has " + a.length + " entries for "
                    + expectedLength + " tokens");
        }
        return a;
    }

    /** An id from the metadata, or -1 when absent or out of range (llama.cpp ignores those too). */
    private static int intValue(Map<String, Object> metadata, String key, int vocabSize) {
        Object v = metadata.get(key);
        if (v instanceof Number n) {
            long id = n.longValue();
            return id >= 0 && id < vocabSize ? (int) id : -1;
        }
        return -1;
    }

    private static boolean booleanValue(Map<String, Object> metadata, String key, boolean fallback) {
        return metadata.get(key) instanceof Boolean b ? b : fallback;
    }
}
