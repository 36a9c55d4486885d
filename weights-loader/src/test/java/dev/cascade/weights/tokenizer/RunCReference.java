package dev.cascade.weights.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** llama2.c run.c's encode written the slow, literal way (rescan all pairs after every merge), as a test oracle. */
final class RunCReference {
    private RunCReference() {
    }

    static int[] encode(Llama2cVocabulary vocabulary, String text) {
        byte[][] pieces = vocabulary.pieces();
        List<Integer> tokens = new ArrayList<>();
        tokens.add(1);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0) {
            tokens.add(lookup(pieces, new byte[] {' '}));
        }
        for (int at = 0; at < utf8.length; ) {
            int end = at + 1;
            while (end < utf8.length && (utf8[end] & 0xC0) == 0x80 && end - at < 4) {
                end++;
            }
            int id = lookup(pieces, Arrays.copyOfRange(utf8, at, end));
            if (id >= 0) {
                tokens.add(id);
            } else {
                for (int i = at; i < end; i++) {
                    tokens.add((utf8[i] & 0xFF) + 3);
                }
            }
            at = end;
        }
        while (true) {
            float best = -1e10f;
            int bestId = -1;
            int bestIndex = -1;
            for (int i = 0; i + 1 < tokens.size(); i++) {
                ByteArrayOutputStream pair = new ByteArrayOutputStream();
                pair.writeBytes(pieces[tokens.get(i)]);
                pair.writeBytes(pieces[tokens.get(i + 1)]);
                int id = lookup(pieces, pair.toByteArray());
                if (id != -1 && vocabulary.scores()[id] > best) {
                    best = vocabulary.scores()[id];
                    bestId = id;
                    bestIndex = i;
                }
            }
            if (bestIndex == -1) {
                break;
            }
            tokens.set(bestIndex, bestId);
            tokens.remove(bestIndex + 1);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lookup(byte[][] pieces, byte[] piece) {
        for (int id = 0; id < pieces.length; id++) {
            if (Arrays.equals(pieces[id], piece)) {
                return id;
            }
        }
        return -1;
    }
}
