package dev.cascade.weights.tokenizer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our punctuation test agrees with Hugging Face's on every code point (its list was recorded from tokenizers 0.23.2). */
class HfPunctuationTest {

    @Test
    void everyCodePointAsHuggingFace() throws IOException {
        BitSet hf = new BitSet(0x110000);
        try (InputStream in = getClass().getResourceAsStream("/tokenizer/hf-punctuation.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    hf.set(Integer.parseInt(line.trim()));
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        for (int cp = 0; cp < 0x110000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            if (PreTokenizer.isPunctuation(cp) != hf.get(cp)) {
                wrong.add(Integer.toHexString(cp));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(726, hf.cardinality());
    }
}
