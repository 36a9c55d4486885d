package dev.cascade.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.tokenizer.HfTokenizerJson;
import dev.cascade.weights.tokenizer.Tokenizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Token ids against Hugging Face transformers itself, on the GPU machine (where it is installed):
 * tools/device/hf_reference.py encodes a set of texts (spaces, newlines, accents, CJK, emoji, code,
 * special-token text) with each tokenizer of ../shared/tokenizers, with and without special tokens,
 * and this test encodes the same texts with ours from the same tokenizer.json files. Tagged gpu
 * because that is where gpu-check runs it; it needs no GPU. Skipped without the ids
 * ({@code -Dcascade.hf.dir}) and the folders ({@code -Dcascade.hf.tokenizers}).
 */
@Tag("gpu")
class HfTokenizerIdsGpuTest {

    @Test
    void idsMatchTransformers() throws IOException {
        String dir = System.getProperty("cascade.hf.dir");
        String folders = System.getProperty("cascade.hf.tokenizers");
        assumeTrue(dir != null && folders != null, "skipped: no -Dcascade.hf.dir and -Dcascade.hf.tokenizers");
        Path ids = Path.of(dir, "tokenizer-ids");
        assumeTrue(Files.isDirectory(ids), "skipped: no tokenizer ids in " + ids);
        List<Path> files;
        try (Stream<Path> list = Files.list(ids)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(!files.isEmpty(), "no tokenizer ids written");
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (Path f : files) {
            JsonNode ref = new ObjectMapper().readTree(f.toFile());
            String name = ref.get("tokenizer").textValue();
            Tokenizer ours = HfTokenizerJson.load(Path.of(folders, name));
            int same = 0;
            for (int i = 0; i < ref.get("texts").size(); i++) {
                String text = ref.get("texts").get(i).textValue();
                for (boolean special : new boolean[] {true, false}) {
                    int[] want = HfTransformersGpuTest.Reference.ints(ref.get(special ? "ids" : "ids_without_special").get(i));
                    int[] got = ours.encode(text, special);
                    compared++;
                    if (java.util.Arrays.equals(want, got)) {
                        same++;
                    } else {
                        mismatches.add(name + (special ? "" : " (no special tokens)") + " \"" + text + "\": transformers "
                                + java.util.Arrays.toString(want) + ", ours " + java.util.Arrays.toString(got));
                    }
                }
            }
            System.out.printf("tokenizer ids, %s (%s): %d of %d encodings as transformers'%n", name,
                    ref.get("loader").textValue(), same, 2 * ref.get("texts").size());
        }
        assertTrue(compared > 0);
        assertEquals(List.of(), mismatches);
    }
}
