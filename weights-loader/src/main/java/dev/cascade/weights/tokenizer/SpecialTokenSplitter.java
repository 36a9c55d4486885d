package dev.cascade.weights.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts special tokens written in the text out of it before SentencePiece sees the rest, with the
 * results of llama.cpp's {@code tokenizer_st_partition}: candidate tokens are taken longest first
 * (ties by id); each claims its leftmost non-overlapping occurrences inside text no longer token
 * claimed earlier. User-defined tokens are always matched; control and unknown tokens only when
 * special tokens are parsed. A token marked rstrip/lstrip also swallows the C-locale whitespace
 * after/before it. (Hugging Face instead takes the leftmost match, longest among those; the two
 * differ only when two special tokens overlap in the text.)
 *
 * <p>Rather than searching the text once per candidate, one pass over a trie finds every
 * occurrence of every candidate; the occurrences are then accepted in llama.cpp's order.
 */
final class SpecialTokenSplitter {

    /** A token that may be written in text. */
    record Candidate(String text, int id, boolean userDefined, boolean lstrip, boolean rstrip) {
    }

    private static final class TrieNode {
        final Map<Character, TrieNode> children = new HashMap<>();
        /** Index into {@link #candidates} of the candidate ending here, or -1. */
        int candidate = -1;
    }

    /** Sorted in llama.cpp's order: longer text first, then smaller id. */
    private final Candidate[] candidates;
    private final TrieNode root = new TrieNode();
    private final BitSet firstChars = new BitSet(1 << 16);

    SpecialTokenSplitter(List<Candidate> tokens) {
        candidates = tokens.stream()
                .filter(c -> !c.text().isEmpty())
                .sorted(Comparator.comparingInt((Candidate c) -> -c.text().length()).thenComparingInt(Candidate::id))
                .toArray(Candidate[]::new);
        for (int rank = 0; rank < candidates.length; rank++) {
            String text = candidates[rank].text();
            TrieNode node = root;
            for (int i = 0; i < text.length(); i++) {
                node = node.children.computeIfAbsent(text.charAt(i), c -> new TrieNode());
            }
            if (node.candidate < 0) {
                node.candidate = rank;
            }
            firstChars.set(text.charAt(0));
        }
    }

    /** The text as fragments in order; stripped whitespace belongs to no fragment. */
    List<TextFragment> split(String text, boolean parseSpecial) {
        List<long[]> found = occurrences(text, parseSpecial);
        if (found.isEmpty()) {
            return List.of(new TextFragment(0, text.length(), -1));
        }
        // found holds {rank, position}; llama.cpp handles one candidate at a time, left to right
        found.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
        boolean[] claimed = new boolean[text.length()];
        int[] tokenAt = new int[text.length()];
        Arrays.fill(tokenAt, -1);
        for (long[] occurrence : found) {
            Candidate candidate = candidates[(int) occurrence[0]];
            int start = (int) occurrence[1];
            int end = start + candidate.text().length();
            if (anyClaimed(claimed, start, end)) {
                continue;
            }
            Arrays.fill(claimed, start, end, true);
            tokenAt[start] = (int) occurrence[0];
            if (candidate.lstrip()) {
                for (int i = start - 1; i >= 0 && !claimed[i] && isCSpace(text.charAt(i)); i--) {
                    claimed[i] = true;
                }
            }
            if (candidate.rstrip()) {
                for (int i = end; i < text.length() && !claimed[i] && isCSpace(text.charAt(i)); i++) {
                    claimed[i] = true;
                }
            }
        }
        List<TextFragment> fragments = new ArrayList<>();
        int rawStart = -1;
        for (int i = 0; i < text.length(); ) {
            if (!claimed[i]) {
                if (rawStart < 0) {
                    rawStart = i;
                }
                i++;
                continue;
            }
            if (rawStart >= 0) {
                fragments.add(new TextFragment(rawStart, i, -1));
                rawStart = -1;
            }
            if (tokenAt[i] >= 0) {
                Candidate candidate = candidates[tokenAt[i]];
                fragments.add(new TextFragment(i, i + candidate.text().length(), candidate.id()));
                i += candidate.text().length();
            } else {
                i++; // stripped whitespace
            }
        }
        if (rawStart >= 0) {
            fragments.add(new TextFragment(rawStart, text.length(), -1));
        }
        return fragments;
    }

    private List<long[]> occurrences(String text, boolean parseSpecial) {
        List<long[]> found = new ArrayList<>();
        if (candidates.length == 0) {
            return found;
        }
        for (int start = 0; start < text.length(); start++) {
            if (!firstChars.get(text.charAt(start))) {
                continue;
            }
            TrieNode node = root;
            for (int i = start; i < text.length(); i++) {
                node = node.children.get(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.candidate >= 0 && (parseSpecial || candidates[node.candidate].userDefined())) {
                    found.add(new long[] {node.candidate, start});
                }
            }
        }
        return found;
    }

    private static boolean anyClaimed(boolean[] claimed, int start, int end) {
        for (int i = start; i < end; i++) {
            if (claimed[i]) {
                return true;
            }
        }
        return false;
    }

    /** C's isspace in the "C" locale, which llama.cpp uses for lstrip/rstrip. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
