package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A SentencePiece vocabulary as GGUF stores it ({@code tokenizer.ggml.model = "llama"}), with the
 * defaults llama.cpp applies when keys are absent.
 *
 * @param tokens         pieces, U+2581 standing for a space
 * @param endOfGeneration ids that end generation: EOS first, then EOT/EOM and end-of-turn tokens
 * @param rstrip         special tokens that swallow the whitespace after them when matched in text
 */
record SpmVocabulary(String[] tokens, float[] scores, SpmTokenType[] types, int bos, int eos, int unk, int pad,
                     List<Integer> endOfGeneration, boolean addBos, boolean addEos, boolean addSpacePrefix,
                     BitSet rstrip) {

    /**
     * Texts llama.cpp treats as end of generation whatever the eos id says (chat models end turns
     * with them while their EOS is something else, e.g. Phi-3's {@code <|end|>}).
     */
    private static final Set<String> END_OF_TURN_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
            "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>");

    static SpmVocabulary fromGguf(Map<String, Object> metadata, Path file) {
        SpmMetadataValues values = new SpmMetadataValues(metadata, file);
        String[] tokens = values.stringArray("tokenizer.ggml.tokens");
        int n = tokens.length;
        if (n == 0) {
            throw new ModelFormatException(file, "tokenizer.ggml.tokens is empty");
        }
        if (metadata.get("tokenizer.ggml.scores") == null) {
            throw new ModelFormatException(file, "missing tokenizer.ggml.scores: a SentencePiece (llama) "
                    + "vocabulary needs a score per token to choose merges");
        }
        float[] scores = values.floatArray("tokenizer.ggml.scores").clone();
        if (scores.length != n) {
            throw new ModelFormatException(file, "tokenizer.ggml.scores has " + scores.length
                    + " entries but tokenizer.ggml.tokens has " + n);
        }
        SpmTokenType[] types = readTypes(values, tokens);
        int bos = values.tokenId("tokenizer.ggml.bos_token_id", 1, n);
        int eos = values.tokenId("tokenizer.ggml.eos_token_id", 2, n);
        int unk = values.tokenId("tokenizer.ggml.unknown_token_id", 0, n);
        int pad = values.tokenId("tokenizer.ggml.padding_token_id", -1, n);
        boolean addBos = values.flag("tokenizer.ggml.add_bos_token", true);
        boolean addEos = values.flag("tokenizer.ggml.add_eos_token", false);
        boolean addSpacePrefix = values.flag("tokenizer.ggml.add_space_prefix", true);
        if (addBos && bos < 0) {
            throw new ModelFormatException(file, "tokenizer.ggml.add_bos_token is set but there is no BOS token");
        }
        if (addEos && eos < 0) {
            throw new ModelFormatException(file, "tokenizer.ggml.add_eos_token is set but there is no EOS token");
        }
        List<Integer> endOfGeneration = endOfGeneration(values, tokens, types, eos);
        BitSet rstrip = rstripTokens(values.stringOrEmpty("general.name"), tokens, types);
        return new SpmVocabulary(tokens, scores, types, bos, eos, unk, pad, endOfGeneration, addBos, addEos,
                addSpacePrefix, rstrip);
    }

    private static SpmTokenType[] readTypes(SpmMetadataValues values, String[] tokens) {
        SpmTokenType[] types = new SpmTokenType[tokens.length];
        long[] codes = values.integerArrayOrNull("tokenizer.ggml.token_type");
        if (codes == null) {
            // llama.cpp reads every token as normal then; byte pieces are still recognisable by name
            for (int id = 0; id < tokens.length; id++) {
                types[id] = isBytePieceName(tokens[id]) ? SpmTokenType.BYTE : SpmTokenType.NORMAL;
            }
            return types;
        }
        if (codes.length != tokens.length) {
            throw new ModelFormatException(values.file(), "tokenizer.ggml.token_type has " + codes.length
                    + " entries but tokenizer.ggml.tokens has " + tokens.length);
        }
        for (int id = 0; id < tokens.length; id++) {
            types[id] = SpmTokenType.ofGgufCode(codes[id]);
            if (types[id] == null) {
                throw new ModelFormatException(values.file(), "tokenizer.ggml.token_type of token " + id
                        + " is " + codes[id] + ", not one of 1 (normal) .. 6 (byte)");
            }
            if (types[id] == SpmTokenType.BYTE && !isBytePieceName(tokens[id])) {
                throw new ModelFormatException(values.file(), "token " + id + " is typed byte but its text '"
                        + tokens[id] + "' is not of the form <0xHH>");
            }
        }
        return types;
    }

    static boolean isBytePieceName(String token) {
        return token.length() == 6 && token.startsWith("<0x") && token.charAt(5) == '>'
                && Character.digit(token.charAt(3), 16) >= 0 && Character.digit(token.charAt(4), 16) >= 0;
    }

    private static List<Integer> endOfGeneration(SpmMetadataValues values, String[] tokens, SpmTokenType[] types,
                                                 int eos) {
        Set<Integer> ids = new LinkedHashSet<>();
        ids.add(eos);
        ids.add(values.tokenId("tokenizer.ggml.eot_token_id", -1, tokens.length));
        ids.add(values.tokenId("tokenizer.ggml.eom_token_id", -1, tokens.length));
        for (int id = 0; id < tokens.length; id++) {
            boolean added = types[id] == SpmTokenType.CONTROL || types[id] == SpmTokenType.USER_DEFINED;
            if (added && END_OF_TURN_TEXTS.contains(tokens[id])) {
                ids.add(id);
            }
        }
        ids.remove(-1);
        return List.copyOf(new ArrayList<>(ids));
    }

    /**
     * Phi-3's tokenizer.json marks its added tokens rstrip (whitespace after them is dropped);
     * GGUF does not carry the flag, so llama.cpp recognises the model by name and restores it
     * for every special token except {@code <unk>}, {@code <s>} and {@code <|endoftext|>}. Same here.
     */
    private static BitSet rstripTokens(String modelName, String[] tokens, SpmTokenType[] types) {
        BitSet rstrip = new BitSet();
        String name = modelName.toLowerCase(Locale.ROOT);
        if (!name.contains("phi-3") && !name.contains("phi3")) {
            return rstrip;
        }
        for (int id = 0; id < tokens.length; id++) {
            boolean matchedInText = types[id] == SpmTokenType.CONTROL || types[id] == SpmTokenType.USER_DEFINED
                    || types[id] == SpmTokenType.UNKNOWN;
            if (matchedInText && !Set.of("<unk>", "<s>", "<|endoftext|>").contains(tokens[id])) {
                rstrip.set(id);
            }
        }
        return rstrip;
    }
}
