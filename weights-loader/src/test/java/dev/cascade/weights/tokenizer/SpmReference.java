package dev.cascade.weights.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SentencePiece BPE on plain text written the slow, literal way, as a test oracle for
 * {@link GgufSpmVocab} without special tokens: dummy prefix, spaces to U+2581, code points as
 * symbols, rescan every adjacent pair after each merge and take the best-scoring normal piece
 * (leftmost on ties), then byte fallback.
 */
final class SpmReference {
    private final Map<String, Integer> normal = new HashMap<>();
    private final Map<String, Integer> all = new HashMap<>();
    private final float[] scores;

    SpmReference(String[] tokens, float[] scores, int[] types) {
        this.scores = scores;
        for (int id = 0; id < tokens.length; id++) {
            all.put(tokens[id], id);
            if (types[id] == 1) {
                normal.put(tokens[id], id);
            }
        }
    }

    int[] encode(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String escaped = ("\u2581" + text).replace(' ', '\u2581');
        List<String> symbols = new ArrayList<>();
        escaped.codePoints().forEach(c -> symbols.add(Character.toString(c)));
        while (true) {
            int best = -1;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer id = normal.get(symbols.get(i) + symbols.get(i + 1));
                if (id != null && (best < 0 || scores[id] > bestScore)) {
                    best = i;
                    bestScore = scores[id];
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        List<Integer> ids = new ArrayList<>();
        for (String symbol : symbols) {
            Integer id = normal.get(symbol);
            if (id != null) {
                ids.add(id);
            } else {
                for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                    ids.add(all.get(String.format("<0x%02X>", b & 0xFF)));
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
