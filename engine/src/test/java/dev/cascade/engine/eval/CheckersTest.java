package dev.cascade.engine.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckersTest {

    @Test
    void exactTrimsWhitespaceOnly() {
        assertTrue(Checkers.check("exact", " 1291\n", " 1291"));
        assertFalse(Checkers.check("exact", " 1291 and more", " 1291"));
        assertFalse(Checkers.check("exact", "ZQXK", "zqxk"));
    }

    @Test
    void numberComparesValues() {
        assertTrue(Checkers.check("number", "The answer is 042.", "42"));
        assertTrue(Checkers.check("number", "1,291", "1291"));
        assertTrue(Checkers.check("number", "-3.50", "-3.5"));
        assertFalse(Checkers.check("number", "no digits", "7"));
        assertFalse(Checkers.check("number", "41", "42"));
    }

    @Test
    void prefixAndContains() {
        assertTrue(Checkers.check("prefix", " there was a girl", "there was"));
        assertFalse(Checkers.check("prefix", "once there was", "there was"));
        assertTrue(Checkers.check("contains", "once there was", "there was"));
    }

    @Test
    void datasetLinesAreCheckedWithTheirLineNumber(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.jsonl");
        Files.write(good, List.of("{\"prompt\":\"Q: 1+1\\nA:\",\"answer\":\" 2\",\"difficulty\":\"easy\",\"checker\":\"exact\"}",
                "", "{\"id\":7,\"prompt\":\"p\",\"answer\":\"a\"}"));
        List<EvalItem> items = EvalDataset.read(good);
        assertEquals(2, items.size());
        assertEquals(0, items.get(0).id());
        assertEquals(7, items.get(1).id());
        assertEquals("all", items.get(1).difficulty());
        assertEquals("exact", items.get(1).checker());

        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, List.of("{\"prompt\":\"p\",\"answer\":\"a\"}", "{\"prompt\":\"p\",\"answer\":\"a\",\"checker\":\"fuzzy\"}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(bad));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("fuzzy"), e.getMessage());
        Path notJson = dir.resolve("x.jsonl");
        Files.writeString(notJson, "{\"prompt\": \n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(notJson)).getMessage().contains("line 1"));
        Path noAnswer = dir.resolve("y.jsonl");
        Files.writeString(noAnswer, "{\"prompt\":\"p\"}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalDataset.read(noAnswer)).getMessage().contains("answer"));
    }

    @Test
    void difficultiesInTheirNaturalOrder() {
        List<String> labels = new java.util.ArrayList<>(List.of("hard", "zeta", "easy", "alpha", "medium"));
        labels.sort(Evaluator::byDifficulty);
        assertEquals(List.of("easy", "medium", "hard", "alpha", "zeta"), labels);
    }
}
