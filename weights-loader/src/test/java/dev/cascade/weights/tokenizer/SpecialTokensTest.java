package dev.cascade.weights.tokenizer;

import dev.cascade.weights.SharedData;
import dev.cascade.weights.gguf.GgufFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Special and added tokens in text, and the BOS/EOS that add_special_tokens adds. */
class SpecialTokensTest {

    private static Tokenizer hf(String folder) {
        return TestTokenizers.hf(folder);
    }

    @Test
    void gpt2EndOfTextIsOneTokenOnlyWhenParsingSpecials() {
        Tokenizer gpt2 = hf("openai-community-gpt2");
        assertArrayEquals(new int[] {15496, 50256}, gpt2.encode("Hello<|endoftext|>", false, true));
        assertArrayEquals(new int[] {15496, 27, 91, 437, 1659, 5239, 91, 29}, gpt2.encode("Hello<|endoftext|>", false, false));
        assertEquals("Hello<|endoftext|>", gpt2.decode(new int[] {15496, 50256}, false));
        assertEquals("Hello", gpt2.decode(new int[] {15496, 50256}, true));
        assertEquals(50256, gpt2.tokenId("<|endoftext|>"));
        assertEquals("\u0120world", gpt2.tokenText(995));
        assertEquals(50257, gpt2.vocabSize());
        // GPT-2's post-processor is ByteLevel: add_special_tokens adds nothing.
        assertArrayEquals(gpt2.encode("Hello", false), gpt2.encode("Hello", true));
        assertFalse(gpt2.specialTokens().addBos());
    }

    @Test
    void tinyLlamaAddsBosAsLlamaTokenizerFastDoes() {
        Tokenizer llama = hf("TinyLlama-TinyLlama-1.1B-Chat-v1.0");
        assertArrayEquals(new int[] {1, 15043, 3186}, llama.encode("Hello world", true));
        assertArrayEquals(new int[] {15043, 3186}, llama.encode("Hello world", false));
        SpecialTokens special = llama.specialTokens();
        assertEquals(1, special.bos());
        assertEquals(List.of(2), special.eos());
        assertEquals(0, special.unk());
        assertEquals(2, special.pad());
        assertTrue(special.addBos());
        assertFalse(special.addEos());
        assertEquals("Hello world", llama.decode(new int[] {1, 15043, 3186, 2}, true));
        assertEquals("<s> Hello world</s>", llama.decode(new int[] {1, 15043, 3186, 2}, false));
    }

    @Test
    void phi3ConfigTurnsBosOff() {
        Tokenizer phi3 = hf("microsoft-Phi-3-mini-4k-instruct");
        assertArrayEquals(new int[] {15043, 3186}, phi3.encode("Hello world", true));
        assertFalse(phi3.specialTokens().addBos());
        assertEquals(32000, phi3.specialTokens().firstEos());
        // <|user|> has rstrip: the spaces after it are part of the token.
        assertArrayEquals(new int[] {32010, 7251}, phi3.encode("<|user|>  hi", false, true));
        assertArrayEquals(new int[] {529, 29989, 1792, 29989, 29958, 29871, 7251}, phi3.encode("<|user|>  hi", false, false));
        assertEquals(32011, phi3.vocabSize());
    }

    @Test
    void mistralAddsBosFromConfig() {
        Tokenizer mistral = hf("mistralai-Mistral-7B-v0.1");
        assertArrayEquals(new int[] {1, 22557, 1526}, mistral.encode("Hello world", true));
        assertTrue(mistral.specialTokens().addBos());
    }

    /**
     * This Llama 3 tokenizer.json is Meta's first release, whose post-processor is ByteLevel only:
     * Hugging Face adds no BOS with it (a later revision added a TemplateProcessing step).
     */
    @Test
    void llama3FirstReleaseAddsNoBosLikeHuggingFace() {
        Tokenizer llama3 = hf("npm-lenml-llama3");
        assertArrayEquals(new int[] {9906, 1917}, llama3.encode("Hello world", true));
        assertEquals(128000, llama3.specialTokens().bos());
        assertEquals(List.of(128001), llama3.specialTokens().eos());
        assertFalse(llama3.specialTokens().addBos());
        assertArrayEquals(new int[] {128000, 9906, 128009}, llama3.encode("<|begin_of_text|>Hello<|eot_id|>", false, true));
        assertEquals(128256, llama3.vocabSize());
    }

    @Test
    void llama3TemplateProcessorAddsBos(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path source = SharedData.require("tokenizers/npm-lenml-llama3/tokenizer.json");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(source.toFile());
        root.set("post_processor", json.readTree("""
                {"type": "Sequence", "processors": [
                  {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
                  {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                   "pair": [],
                   "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [128000], "tokens": ["<|begin_of_text|>"]}}}]}
                """));
        json.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        java.nio.file.Files.copy(source.resolveSibling("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        Tokenizer llama3 = HfTokenizerJson.load(dir);
        assertArrayEquals(new int[] {128000, 9906, 1917}, llama3.encode("Hello world", true));
        assertTrue(llama3.specialTokens().addBos());
    }

    @Test
    void qwen3ImEndIsEosAndSpecial() {
        Tokenizer qwen = hf("npm-lenml-qwen3");
        assertEquals(List.of(151645), qwen.specialTokens().eos());
        assertEquals(-1, qwen.specialTokens().bos());
        assertEquals(151643, qwen.specialTokens().pad());
        int[] ids = qwen.encode("<|im_start|>user\nhi<|im_end|>", true, true);
        assertEquals(151644, ids[0]);
        assertEquals(151645, ids[ids.length - 1]);
        assertEquals("user\nhi", qwen.decode(ids, true));
    }

    @Test
    void ggufControlTokensAreSpecialAndBosFollowsMetadata() {
        Path path = SharedData.require("tokenizer-vectors/ggml-vocab-deepseek-coder.gguf");
        Tokenizer coder;
        try (GgufFile file = GgufFile.open(path)) {
            coder = GgufBpeVocab.fromMetadata(file.metadata(), path);
        }
        SpecialTokens special = coder.specialTokens();
        assertEquals(32013, special.bos());
        assertEquals(List.of(32014), special.eos());
        assertTrue(special.addBos());
        int bos = special.bos();
        String bosText = coder.tokenText(bos);
        int[] parsed = coder.encode(bosText + "x", true, true);
        assertArrayEquals(new int[] {bos, bos}, java.util.Arrays.copyOf(parsed, 2));
        int[] plain = coder.encode(bosText + "x", false, false);
        assertTrue(plain.length > 2 && plain[0] != bos);
        assertEquals("x", coder.decode(parsed, true));
    }
}
