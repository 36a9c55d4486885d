package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a Hugging Face {@code tokenizer.json} (BPE model) with the {@code tokenizer_config.json},
 * {@code special_tokens_map.json} and {@code generation_config.json} beside it, giving the ids
 * transformers' fast tokenizer gives.
 */
public final class HfTokenizerJson {
    /**
     * transformers classes whose fast tokenizer rebuilds the post-processor from
     * add_bos_token (default true) and add_eos_token (default false), ignoring the file's template.
     */
    private static final Set<String> BOS_EOS_FLAG_CLASSES = Set.of(
            "LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast",
            "GemmaTokenizer", "GemmaTokenizerFast");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfTokenizerJson() {
    }

    /** A folder holding tokenizer.json, or the tokenizer.json file itself. */
    public static Tokenizer load(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve("tokenizer.json") : folderOrFile;
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file, "tokenizer file not found");
        }
        Path folder = file.toAbsolutePath().getParent();
        JsonNode root = read(file);
        JsonNode config = readIfPresent(folder.resolve("tokenizer_config.json"));
        JsonNode specialMap = readIfPresent(folder.resolve("special_tokens_map.json"));
        JsonNode generation = readIfPresent(folder.resolve("generation_config.json"));
        try {
            BpeModel model = parseModel(root.path("model"));
            List<AddedToken> added = parseAddedTokens(root.path("added_tokens"));
            Normalizer normalizer = present(root.get("normalizer")) ? Normalizer.fromJson(root.get("normalizer")) : null;
            PreTokenizer preTokenizer = present(root.get("pre_tokenizer")) ? PreTokenizer.fromJson(root.get("pre_tokenizer")) : null;
            Decoder decoder = present(root.get("decoder")) ? Decoder.fromJson(root.get("decoder")) : new Decoder.SpaceJoin();

            Map<String, Integer> addedIds = new HashMap<>();
            added.forEach(t -> addedIds.put(t.content(), t.id()));
            java.util.function.ToIntFunction<String> idOf = name -> name == null ? -1
                    : addedIds.containsKey(name) ? addedIds.get(name) : model.tokenId(name);

            int bos = idOf.applyAsInt(specialTokenName("bos_token", config, specialMap));
            int unk = idOf.applyAsInt(specialTokenName("unk_token", config, specialMap));
            int pad = idOf.applyAsInt(specialTokenName("pad_token", config, specialMap));
            List<Integer> eos = new ArrayList<>();
            int eosId = idOf.applyAsInt(specialTokenName("eos_token", config, specialMap));
            if (eosId >= 0) {
                eos.add(eosId);
            }
            JsonNode genEos = generation == null ? null : generation.get("eos_token_id");
            if (genEos != null) {
                for (JsonNode id : genEos.isArray() ? genEos : List.of(genEos)) {
                    if (id.canConvertToInt() && !eos.contains(id.asInt())) {
                        eos.add(id.asInt());
                    }
                }
            }

            SpecialTokenTemplate template = SpecialTokenTemplate.fromJson(root.get("post_processor"));
            String tokenizerClass = config == null ? null : config.path("tokenizer_class").asText(null);
            if (tokenizerClass != null && BOS_EOS_FLAG_CLASSES.contains(tokenizerClass)) {
                boolean addBos = config.path("add_bos_token").asBoolean(true) && bos >= 0;
                boolean addEos = config.path("add_eos_token").asBoolean(false) && eosId >= 0;
                template = new SpecialTokenTemplate(addBos ? new int[] {bos} : new int[0], addEos ? new int[] {eosId} : new int[0]);
            }
            boolean addsBos = template.prefixContains(bos);
            boolean addsEos = eos.stream().anyMatch(template::suffixContains);
            SpecialTokens special = new SpecialTokens(bos, eos, unk, pad, addsBos, addsEos);
            return new BpePipelineTokenizer(new BpePipelineTokenizer.Parts(
                    model, added, normalizer, preTokenizer, decoder, template, special, false));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "is not readable JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readIfPresent(Path file) {
        return Files.isRegularFile(file) ? read(file) : null;
    }

    /** A special token's text from tokenizer_config.json, else special_tokens_map.json; a string or {"content": ...}. */
    private static String specialTokenName(String key, JsonNode config, JsonNode specialMap) {
        for (JsonNode source : new JsonNode[] {config, specialMap}) {
            if (source == null || !source.has(key)) {
                continue;
            }
            JsonNode v = source.get(key);
            if (v.isTextual()) {
                return v.asText();
            }
            if (v.isObject() && v.has("content")) {
                return v.path("content").asText();
            }
            return null; // explicitly null
        }
        return null;
    }

    private static BpeModel parseModel(JsonNode node) {
        String type = node.path("type").asText("");
        if (type.isEmpty()) {
            // Older files leave out the type; Hugging Face then recognises the model by its fields.
            type = node.has("merges") ? "BPE"
                    : node.path("vocab").isArray() ? "Unigram"
                    : node.has("max_input_chars_per_word") ? "WordPiece" : "WordLevel";
        }
        if (!type.equals("BPE")) {
            throw new IllegalArgumentException("unsupported tokenizer model '" + type + "'");
        }
        JsonNode vocabNode = node.path("vocab");
        if (!vocabNode.isObject()) {
            throw new IllegalArgumentException("BPE model has no vocab object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        List<BpeModel.MergeRule> merges = new ArrayList<>();
        int line = 0;
        for (JsonNode m : node.path("merges")) {
            line++;
            if (m.isArray() && m.size() == 2) {
                merges.add(new BpeModel.MergeRule(m.get(0).asText(), m.get(1).asText()));
            } else if (m.isTextual()) {
                String s = m.asText();
                int space = s.indexOf(' ');
                if (space < 0) {
                    throw new IllegalArgumentException("merge " + line + " '" + s + "' is not two tokens separated by a space");
                }
                merges.add(new BpeModel.MergeRule(s.substring(0, space), s.substring(space + 1)));
            } else {
                throw new IllegalArgumentException("merge " + line + " is neither \"a b\" nor [\"a\", \"b\"]: " + m);
            }
        }
        JsonNode dropout = node.get("dropout");
        if (present(dropout) && dropout.asDouble() > 0) {
            throw new IllegalArgumentException("BPE dropout " + dropout.asDouble() + " is not supported (encoding would be random)");
        }
        BpeModel.Options options = new BpeModel.Options(
                textOrNull(node.get("unk_token")),
                node.path("fuse_unk").asBoolean(false),
                node.path("byte_fallback").asBoolean(false),
                textOrNull(node.get("continuing_subword_prefix")),
                textOrNull(node.get("end_of_word_suffix")),
                node.path("ignore_merges").asBoolean(false));
        return new BpeModel(vocab, merges, options, true);
    }

    private static String textOrNull(JsonNode node) {
        return present(node) ? node.asText() : null;
    }

    private static List<AddedToken> parseAddedTokens(JsonNode array) {
        List<AddedToken> tokens = new ArrayList<>();
        for (JsonNode t : array) {
            tokens.add(new AddedToken(t.path("id").asInt(), t.path("content").asText(),
                    t.path("special").asBoolean(false), t.path("lstrip").asBoolean(false),
                    t.path("rstrip").asBoolean(false), t.path("single_word").asBoolean(false),
                    t.path("normalized").asBoolean(!t.path("special").asBoolean(false))));
        }
        return tokens;
    }
}
