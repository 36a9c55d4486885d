package dev.cascade.weights.tokenizer;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Which characters some vocabulary piece has directly before a U+2581 space mark. Before a space
 * mark that follows any other character no merge can ever join the two (a merged symbol is always a
 * piece), so the text can be cut there and each word merged on its own: the same result, with a
 * small priority queue per word instead of one the size of the text. In SentencePiece vocabularies
 * the mark almost always starts a piece, so nearly every space is such a cut.
 */
final class SpaceMarkBoundaries {
    private static final int SPACE_MARK = '\u2581';

    private final BitSet basic;
    private final Set<Integer> supplementary;

    private SpaceMarkBoundaries(BitSet basic, Set<Integer> supplementary) {
        this.basic = basic;
        this.supplementary = supplementary;
    }

    static SpaceMarkBoundaries of(String[] pieces, IntPredicate include) {
        BitSet basic = new BitSet();
        Set<Integer> supplementary = new HashSet<>();
        for (int id = 0; id < pieces.length; id++) {
            if (!include.test(id)) {
                continue;
            }
            String piece = pieces[id];
            for (int i = 0; i < piece.length(); ) {
                int codePoint = piece.codePointAt(i);
                i += Character.charCount(codePoint);
                if (i < piece.length() && piece.charAt(i) == SPACE_MARK) {
                    if (codePoint < 0x10000) {
                        basic.set(codePoint);
                    } else {
                        supplementary.add(codePoint);
                    }
                }
            }
        }
        return new SpaceMarkBoundaries(basic, supplementary);
    }

    /** Whether a piece has {@code codePoint} directly followed by U+2581, so no cut may go between them. */
    boolean canPrecedeSpaceMark(int codePoint) {
        return codePoint < 0x10000 ? basic.get(codePoint) : supplementary.contains(codePoint);
    }
}
