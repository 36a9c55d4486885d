package dev.cascade.weights.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way Hugging Face's AddedVocabulary does: non-overlapping,
 * leftmost match first and the longest one at that position, then the single_word / lstrip /
 * rstrip rules. A special token found while special parsing is off is left as text (and, as in
 * Hugging Face, the text it covered is not searched again).
 */
final class AddedTokenSplitter {
    /** A stretch of text ({@code tokenId} -1) or a recognised added token. */
    record Segment(String text, int tokenId, boolean atInputStart) {
    }

    /** Candidates by first char, longest first. */
    private final Map<Character, AddedToken[]> byFirstChar;

    AddedTokenSplitter(List<AddedToken> tokens) {
        Map<Character, List<AddedToken>> groups = new HashMap<>();
        for (AddedToken t : tokens) {
            if (!t.content().isEmpty()) {
                groups.computeIfAbsent(t.content().charAt(0), k -> new ArrayList<>()).add(t);
            }
        }
        byFirstChar = new HashMap<>();
        groups.forEach((c, list) -> {
            list.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
            byFirstChar.put(c, list.toArray(AddedToken[]::new));
        });
    }

    boolean isEmpty() {
        return byFirstChar.isEmpty();
    }

    /** Appends the segments of {@code text} to {@code out}; empty text stretches are left out. */
    void split(String text, boolean atInputStart, boolean parseSpecial, List<Segment> out) {
        if (byFirstChar.isEmpty()) {
            if (!text.isEmpty()) {
                out.add(new Segment(text, -1, atInputStart));
            }
            return;
        }
        int n = text.length();
        int emitted = 0; // end of the last emitted segment
        int i = 0;
        while (i < n) {
            AddedToken[] candidates = byFirstChar.get(text.charAt(i));
            AddedToken found = null;
            if (candidates != null) {
                for (AddedToken t : candidates) {
                    if (text.startsWith(t.content(), i)) {
                        found = t;
                        break;
                    }
                }
            }
            if (found == null) {
                i++;
                continue;
            }
            int start = i;
            int stop = i + found.content().length();
            i = stop;
            if (found.special() && !parseSpecial) {
                continue;
            }
            if (found.singleWord()) {
                boolean wordBefore = start > 0 && UnicodeChars.isWordChar(text.codePointBefore(start));
                boolean wordAfter = stop < n && UnicodeChars.isWordChar(text.codePointAt(stop));
                if (wordBefore || wordAfter) {
                    continue;
                }
            }
            if (found.lstrip()) {
                int s = start;
                while (s > emitted && UnicodeChars.isWhiteSpace(text.codePointBefore(s))) {
                    s -= Character.charCount(text.codePointBefore(s));
                }
                start = s;
            }
            if (found.rstrip()) {
                while (stop < n && UnicodeChars.isWhiteSpace(text.codePointAt(stop))) {
                    stop += Character.charCount(text.codePointAt(stop));
                }
                i = stop;
            }
            if (start > emitted) {
                out.add(new Segment(text.substring(emitted, start), -1, atInputStart && emitted == 0));
            }
            out.add(new Segment(text.substring(start, stop), found.id(), atInputStart && start == 0));
            emitted = stop;
        }
        if (emitted < n) {
            out.add(new Segment(text.substring(emitted), -1, atInputStart && emitted == 0));
        }
    }
}
