package dev.cascade.weights.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The word-splitting rules llama.cpp picks by a GGUF's {@code tokenizer.ggml.pre} name (GGUF
 * files carry no regexes). Each entry is the list of regexes llama.cpp applies in turn, each
 * keeping both its matches and the text between as pieces (Hugging Face's Split with Isolated),
 * followed by byte-level mapping. Where llama.cpp rewrote a Hugging Face regex only to suit
 * std::regex (e.g. {@code (?:'[sS]|...)} for {@code (?i:'s|...)}) the Hugging Face original is
 * used, since the expected ids come from Hugging Face.
 */
final class LlamaCppPreTokenizers {

    /** How a pre-tokenizer family splits, and the flags llama.cpp ties to it. */
    record Family(String name, List<String> regexes, boolean ignoreMerges, boolean addBosByDefault) {
        PreTokenizer preTokenizer() {
            List<PreTokenizer> steps = new ArrayList<>();
            for (String regex : regexes) {
                steps.add(new PreTokenizer.RegexSplit(OnigurumaRegex.compile(regex), SplitBehavior.ISOLATED, false));
            }
            steps.add(new PreTokenizer.ByteLevel(false, false));
            return new PreTokenizer.Sequence(steps);
        }
    }

    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Cased letters (Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee, ...) as in DeepSeek LLM's tokenizer.json. */
    static final String DEEPSEEK_LLM_LETTERS = "\\s?[A-Za-z\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{1BA}"
            + "\\x{1BC}-\\x{1BF}\\x{1C4}-\\x{293}\\x{295}-\\x{2AF}\\x{370}-\\x{373}\\x{376}\\x{377}\\x{37B}-\\x{37D}"
            + "\\x{37F}\\x{386}\\x{388}-\\x{38A}\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}\\x{3F7}-\\x{481}"
            + "\\x{48A}-\\x{52F}\\x{531}-\\x{556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}"
            + "\\x{1C90}-\\x{1CBA}\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}"
            + "\\x{1E00}-\\x{1F15}\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}"
            + "\\x{1F59}\\x{1F5B}\\x{1F5D}\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}"
            + "\\x{1FC2}-\\x{1FC4}\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}"
            + "\\x{1FF2}-\\x{1FF4}\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}"
            + "\\x{2124}\\x{2126}\\x{2128}\\x{212A}-\\x{212D}\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}"
            + "\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}\\x{2CEB}-\\x{2CEE}"
            + "\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}\\x{A771}-\\x{A787}"
            + "\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}\\x{FF21}-\\x{FF3A}"
            + "\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}"
            + "\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}\\x{1E900}-\\x{1E943}]+";
    static final String DEEPSEEK_PUNCTUATION = "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}]+";
    static final String DEEPSEEK_CJK = "[\\x{4E00}-\\x{9FA5}\\x{800}-\\x{4E00}\\x{AC00}-\\x{D7FF}]+";
    static final String PORO = " ?[^(\\s|.,!?\\x{2026}\\x{3002}\\x{FF0C}\\x{3001}\\x{964}\\x{6D4}\\x{60C})]+";
    static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String GPT4O = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private LlamaCppPreTokenizers() {
    }

    /** The family for a {@code tokenizer.ggml.pre} value; null or unknown names get llama.cpp's "default". */
    static Family forName(String pre) {
        String name = pre == null ? "default" : pre;
        return switch (name) {
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2" ->
                    new Family(name, List.of(LLAMA3), true, true);
            case "dbrx", "smaug-bpe", "glm4", "chatglm-bpe" -> new Family(name, List.of(LLAMA3), false, false);
            case "deepseek-llm" -> new Family(name, List.of("[\\r\\n]", DEEPSEEK_LLM_LETTERS, DEEPSEEK_PUNCTUATION,
                    "\\s+$", DEEPSEEK_CJK, "\\p{N}+"), false, false);
            case "deepseek-coder" -> new Family(name, List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", DEEPSEEK_CJK,
                    "\\p{N}"), false, false);
            case "deepseek-v3", "hunyuan-dense" -> new Family(name, List.of("\\p{N}{1,3}",
                    "[\\x{4E00}-\\x{9FA5}\\x{3040}-\\x{309F}\\x{30A0}-\\x{30FF}]+",
                    "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                            + "| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"), false, false);
            case "falcon" -> new Family(name, List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"), false, false);
            case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b" ->
                    new Family(name, List.of("\\p{N}", GPT2), false, false);
            case "gpt-2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
                 "a.x-4.0", "mellum", "jina-v1-en", "jina-v2-code", "roberta-bpe", "trillion", "granite-docling",
                 "exaone4" -> new Family(name, List.of(GPT2), false, false);
            case "qwen2", "qwen2.5", "deepseek-r1-qwen", "kormo", "megrez", "stablelm2", "hunyuan", "grok-2" ->
                    new Family(name, List.of(QWEN2), false, false);
            case "seed-coder" -> new Family(name, List.of("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
                    + "|\\p{N}{1}| ?[^\\s\\p{L}\\p{N}\\r\\n]+|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"), false, false);
            case "bailingmoe", "bailingmoe2", "llada-moe" -> new Family(name, List.of("'(?i:[sdmt]|ll|ve|re)"
                    + "|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"),
                    false, false);
            case "poro-chat", "bloom", "gpt3-finnish" -> new Family(name, List.of(PORO), false, false);
            case "viking" -> new Family(name, List.of(PORO, "\\p{N}"), false, false);
            case "tekken" -> new Family(name, List.of(TEKKEN), true, true);
            case "gpt-4o", "llama4", "minimax-m2" -> new Family(name, List.of(GPT4O), false, false);
            case "chameleon" -> new Family(name, List.of("<sentinel:[0-9]+>", "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
                    "([\\t\\n]|    |  )", "\\p{N}", "[\\p{P}!-/:-@\\[-`{-~]", GPT2), false, true);
            case "kimi-k2", "superbpe", "afmoe" -> throw new IllegalArgumentException(
                    "unsupported pre-tokenizer '" + name + "' (tokenizer.ggml.pre; llama.cpp splits it with custom code)");
            // llama.cpp falls back to its default rules for names it does not know, and so do we.
            default -> new Family(name, List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), false, false);
        };
    }
}
