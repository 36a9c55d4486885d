package dev.cascade.engine.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopStringsTest {

    @Test
    void stopsBeforeTheStopStringSplitAcrossPieces() {
        StopStrings s = new StopStrings(List.of("\n\nUser:"));
        StringBuilder shown = new StringBuilder();
        for (String piece : new String[] {"Hello", " there", "\n", "\nUs", "er:", " more"}) {
            shown.append(s.append(piece));
        }
        assertTrue(s.stopped());
        assertEquals("Hello there", shown.toString());
    }

    @Test
    void holdsBackOnlyWhatCouldStartAStop() {
        StopStrings s = new StopStrings(List.of("END"));
        assertEquals("abc", s.append("abcE"));
        assertEquals("Ex", s.append("x"), "E followed by x cannot become END");
        assertEquals("", s.append("EN"));
        assertEquals("EN", s.flush());
        assertFalse(s.stopped());
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(List.of("cd", "b"));
        assertEquals("a", s.append("abcd"));
        assertTrue(s.stopped());
        assertEquals("", s.append("more"));
    }

    @Test
    void noStopsPassesEverything() {
        StopStrings s = new StopStrings(List.of());
        assertEquals("abc", s.append("abc"));
        assertEquals("", s.flush());
    }

    @Test
    void emptyStopStringIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
    }
}
