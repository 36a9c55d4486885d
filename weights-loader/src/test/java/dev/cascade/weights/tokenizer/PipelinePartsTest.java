package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's parts on small inputs whose Hugging Face answers are documented or worked out by hand. */
class PipelinePartsTest {

    private static List<String> split(PreTokenizer pre, String text) {
        List<PreToken> out = new ArrayList<>();
        pre.split(new PreToken(text, true), out);
        return out.stream().map(PreToken::text).toList();
    }

    @Test
    void splitBehavioursMatchHuggingFaceDocumentation() {
        String text = "the-final--countdown";
        var dash = java.util.regex.Pattern.compile("-");
        assertEquals(List.of("the", "final", "countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.REMOVED, false), text));
        assertEquals(List.of("the", "-", "final", "-", "-", "countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.ISOLATED, false), text));
        assertEquals(List.of("the-", "final-", "-", "countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.MERGED_WITH_PREVIOUS, false), text));
        assertEquals(List.of("the", "-final", "-", "-countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.MERGED_WITH_NEXT, false), text));
        assertEquals(List.of("the", "-", "final", "--", "countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.CONTIGUOUS, false), text));
        // invert: the text between dashes is the delimiter (Hugging Face gives [-, -, -] and [the, -, final, --, countdown]).
        assertEquals(List.of("-", "-", "-"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.REMOVED, true), text));
        assertEquals(List.of("the", "-", "final", "--", "countdown"), split(new PreTokenizer.RegexSplit(dash, SplitBehavior.CONTIGUOUS, true), text));
    }

    @Test
    void byteLevelSplitsLikeGpt2() {
        var byteLevel = new PreTokenizer.ByteLevel(false, true);
        assertEquals(List.of("Hello", "\u0120world", "!", "\u0120\u0120", "\u0120x", "'s", "\u010A"), split(byteLevel, "Hello world!   x's\n"));
        // Unicode whitespace (U+3000) is \s for Oniguruma, so it stays apart from the letters.
        assertEquals(List.of("a", "\u00E3\u0122\u0122", "b"), split(byteLevel, "a\u3000b"));
        assertEquals(List.of("\u0120Hi"), split(new PreTokenizer.ByteLevel(true, true), "Hi"));
    }

    @Test
    void metaspacePrependsOnlyAtInputStartWithSchemeFirst() {
        var first = new PreTokenizer.Metaspace(0x2581, PreTokenizer.Metaspace.PrependScheme.FIRST, true);
        assertEquals(List.of("\u2581Hey", "\u2581friend!"), split(first, "Hey friend!"));
        List<PreToken> out = new ArrayList<>();
        first.split(new PreToken("Hey", false), out);
        assertEquals("Hey", out.getFirst().text());
        var always = new PreTokenizer.Metaspace(0x2581, PreTokenizer.Metaspace.PrependScheme.ALWAYS, true);
        assertEquals(List.of("\u2581Hey", "\u2581", "\u2581", "\u2581friend"), split(always, "Hey   friend"));
    }

    @Test
    void digitsAndPunctuation() {
        var individual = new PreTokenizer.CharSplit(PreTokenizer::isNumeric, SplitBehavior.ISOLATED);
        assertEquals(List.of("a", "1", "2", "b", "\u0663"), split(individual, "a12b\u0663"));
        var punctuation = new PreTokenizer.CharSplit(PreTokenizer::isPunctuation, SplitBehavior.CONTIGUOUS);
        assertEquals(List.of("Hey", "$+", " you", "\u00BF\u00A1", "x"), split(punctuation, "Hey$+ you\u00BF\u00A1x"));
    }

    @Test
    void onigurumaTranslation() {
        assertEquals("[0-9a-fA-F]+", OnigurumaRegex.translate("\\h+"));
        assertEquals("\\p{IsHan}|\\P{L}", OnigurumaRegex.translate("\\p{Han}|\\p{^L}"));
        assertEquals("(?s:.)", OnigurumaRegex.translate("(?m:.)"));
        assertTrue(OnigurumaRegex.compile("\\s").matcher("\u3000").matches(), "\\s is Unicode whitespace");
        assertTrue(OnigurumaRegex.compile("(?i:'s)").matcher("'S").matches());
        assertTrue(OnigurumaRegex.compile("a$").matcher("a\nb").find(), "$ is an end-of-line anchor");
        assertFalse(OnigurumaRegex.compile(".").matcher("\n").matches());
        assertTrue(OnigurumaRegex.compile(".").matcher("\u2028").matches(), "only \\n ends a line");
        assertTrue(OnigurumaRegex.compile("\\s+(?!\\S)").matcher("   x").lookingAt());
    }

    @Test
    void bpeAppliesLowestRankFirstAndLeftmostOnTies() {
        Map<String, Integer> vocab = Map.of("a", 0, "b", 1, "ab", 2, "ba", 3, "aba", 4, "bab", 5);
        // "b a" outranks "a b", so "abab" becomes a + ba + b, then "a ba" -> aba.
        var model = new BpeModel(vocab, List.of(new BpeModel.MergeRule("b", "a"), new BpeModel.MergeRule("a", "ba"),
                new BpeModel.MergeRule("a", "b")), new BpeModel.Options(null, false, false, null, null, false), true);
        IntList out = new IntList(4);
        model.tokenize("abab", out, new BpeModel.Scratch());
        assertArrayEquals(new int[] {4, 1}, out.toArray());
        // Ties go to the leftmost pair: "aaa" has two "a a" candidates.
        var ties = new BpeModel(Map.of("a", 0, "aa", 1), List.of(new BpeModel.MergeRule("a", "a")),
                new BpeModel.Options(null, false, false, null, null, false), true);
        IntList tieOut = new IntList(4);
        ties.tokenize("aaa", tieOut, new BpeModel.Scratch());
        assertArrayEquals(new int[] {1, 0}, tieOut.toArray());
    }

    @Test
    void unknownCharsFuseIntoOneUnkTokenAndByteFallbackSpellsBytes() {
        Map<String, Integer> vocab = new java.util.HashMap<>(Map.of("<unk>", 0, "a", 1));
        var fused = new BpeModel(vocab, List.of(), new BpeModel.Options("<unk>", true, false, null, null, false), true);
        IntList out = new IntList(4);
        fused.tokenize("a\u00E9\u00E9a", out, new BpeModel.Scratch());
        assertArrayEquals(new int[] {1, 0, 1}, out.toArray());
        var unfused = new BpeModel(vocab, List.of(), new BpeModel.Options("<unk>", false, false, null, null, false), true);
        IntList out2 = new IntList(4);
        unfused.tokenize("a\u00E9\u00E9a", out2, new BpeModel.Scratch());
        assertArrayEquals(new int[] {1, 0, 0, 1}, out2.toArray());
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), 10 + b);
        }
        var fallback = new BpeModel(vocab, List.of(), new BpeModel.Options("<unk>", true, true, null, null, false), true);
        IntList out3 = new IntList(4);
        fallback.tokenize("\u00E9", out3, new BpeModel.Scratch());
        assertArrayEquals(new int[] {10 + 0xC3, 10 + 0xA9}, out3.toArray());
    }

    @Test
    void addedTokenFlags() {
        var splitter = new AddedTokenSplitter(List.of(
                new AddedToken(1, "<mask>", true, true, true, false, false),
                new AddedToken(2, "cat", false, false, false, true, false),
                new AddedToken(3, "<m", false, false, false, false, false)));
        List<AddedTokenSplitter.Segment> out = new ArrayList<>();
        splitter.split("a  <mask>  b concat cat", true, true, out);
        assertEquals(List.of("a", "  <mask>  ", "b concat ", "cat"), out.stream().map(AddedTokenSplitter.Segment::text).toList());
        assertEquals(List.of(-1, 1, -1, 2), out.stream().map(AddedTokenSplitter.Segment::tokenId).toList());
        out.clear();
        // With special parsing off the special token is text, and its span is not searched again for "<m".
        splitter.split("x<mask>", true, false, out);
        assertEquals(List.of("x<mask>"), out.stream().map(AddedTokenSplitter.Segment::text).toList());
    }

    @Test
    void decoderChainsForLlamaStyleOutput() {
        Decoder llama = new Decoder.Sequence(List.of(new Decoder.Replace("\u2581", null, " "), new Decoder.ByteFallback(),
                new Decoder.Fuse(), new Decoder.Strip(' ', 1, 0)));
        assertEquals(List.of("Hi \u00E9!"), llama.decodeChain(List.of("\u2581Hi", "\u2581", "<0xC3>", "<0xA9>", "!")));
        assertEquals(List.of("x\uFFFD\uFFFDy"), llama.decodeChain(List.of("x", "<0xC3>", "<0x28>", "y")));
        assertArrayEquals(new byte[] {(byte) 0xC3}, llama.decodeOne(Decoder.Piece.ofText("<0xC3>"), false).toBytes());
        assertArrayEquals("Hi".getBytes(), llama.decodeOne(Decoder.Piece.ofText("\u2581Hi"), true).toBytes());
        assertArrayEquals(" Hi".getBytes(), llama.decodeOne(Decoder.Piece.ofText("\u2581Hi"), false).toBytes());
    }

    @Test
    void unsupportedModelIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"model": {"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}, "added_tokens": []}
                """);
        var e = assertThrows(ModelFormatException.class, () -> HfTokenizerJson.load(dir));
        assertTrue(e.getMessage().contains("unsupported tokenizer model 'WordPiece'"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
    }

    @Test
    void missingFileAndBadMergeAreClearErrors(@TempDir Path dir) throws Exception {
        var missing = assertThrows(ModelFormatException.class, () -> HfTokenizerJson.load(dir));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        var json = new ObjectMapper().readTree("""
                {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}, "added_tokens": []}
                """);
        new ObjectMapper().writeValue(dir.resolve("tokenizer.json").toFile(), json);
        var bad = assertThrows(ModelFormatException.class, () -> HfTokenizerJson.load(dir));
        assertTrue(bad.getMessage().contains("merge 1 'a b'"), bad.getMessage());
    }

    @Test
    void ggufWithoutMergesIsAClearError() {
        Path file = Path.of("model.gguf");
        var e = assertThrows(ModelFormatException.class, () -> GgufBpeVocab.fromMetadata(Map.of(
                "tokenizer.ggml.model", "gpt2", "tokenizer.ggml.tokens", new String[] {"a"}), file));
        assertTrue(e.getMessage().startsWith("model.gguf: has no tokenizer.ggml.merges"), e.getMessage());
    }
}
