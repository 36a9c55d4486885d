package dev.cascade.weights.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BPE model of Hugging Face's tokenizers: a word starts as one symbol per character (or
 * byte-fallback {@code <0xHH>} tokens, or the unknown token), then the applicable merge with the
 * lowest rank is applied, leftmost first on ties, until none applies. Immutable; a bounded cache
 * of short words' ids makes repeated words cheap.
 */
final class BpeModel {
    /** Hugging Face caches words shorter than this many chars. */
    private static final int CACHEABLE_LENGTH = 256;
    private static final int CACHE_CAPACITY = 10_000;
    private static final String SPACE_MARK = "\u2581";

    /** One merge rule in file order, before ids are resolved. */
    record MergeRule(String left, String right) {
    }

    /** Options of the "model" section; null strings mean absent. */
    record Options(String unkToken, boolean fuseUnk, boolean byteFallback, String continuingSubwordPrefix,
                   String endOfWordSuffix, boolean ignoreMerges) {
    }

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final MergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final String prefix;
    private final String suffix;
    private final boolean ignoreMerges;
    /** Ids of {@code <0x00>..<0xFF>}, or null when byte fallback is off or a byte token is missing. */
    private final int[] byteTokenIds;
    /** Id of each single-char BMP token, -1 where there is none; used when there is no prefix/suffix. */
    private final int[] bmpCharIds;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();
    /**
     * True when no merge joins a symbol ending in something other than U+2581 to one starting
     * with U+2581. Then BPE never crosses the start of a SentencePiece word, and a long text that
     * reaches the model unsplit (Llama's tokenizer.json has no pre-tokenizer) can be encoded word
     * by word, with the same result and with the word cache.
     */
    private final boolean wordsStartAtSpaceMark;

    /**
     * @param strictMerges when true a merge naming a token missing from the vocabulary is an error
     *                     (Hugging Face refuses such a file); when false it is skipped.
     */
    BpeModel(Map<String, Integer> vocab, List<MergeRule> mergeRules, Options options, boolean strictMerges) {
        this(idToTokenOf(vocab), vocab, mergeRules, options, strictMerges);
    }

    /**
     * @param idToToken the text of each id (a GGUF vocabulary may repeat a text, so this is not
     *                  always the inverse of {@code vocab})
     */
    BpeModel(String[] idToToken, Map<String, Integer> vocab, List<MergeRule> mergeRules, Options options,
             boolean strictMerges) {
        // A HashMap: Map.copyOf's linear probing is several times slower on 100k+ string keys.
        this.vocab = new java.util.HashMap<>(vocab);
        this.idToToken = idToToken.clone();

        String unk = options.unkToken();
        unkId = unk == null ? -1 : vocab.getOrDefault(unk, -1);
        if (unk != null && unkId < 0) {
            throw new IllegalArgumentException("unk_token '" + unk + "' is not in the vocabulary");
        }
        fuseUnk = options.fuseUnk();
        prefix = emptyToNull(options.continuingSubwordPrefix());
        suffix = emptyToNull(options.endOfWordSuffix());
        ignoreMerges = options.ignoreMerges();

        int[] bytes = null;
        if (options.byteFallback()) {
            bytes = new int[256];
            for (int b = 0; b < 256 && bytes != null; b++) {
                Integer id = vocab.get(String.format("<0x%02X>", b));
                if (id == null) {
                    bytes = null;
                } else {
                    bytes[b] = id;
                }
            }
        }
        byteTokenIds = bytes;

        bmpCharIds = new int[65536];
        Arrays.fill(bmpCharIds, -1);
        vocab.forEach((token, id) -> {
            if (token.length() == 1) {
                bmpCharIds[token.charAt(0)] = id;
            }
        });

        merges = new MergeTable(Math.max(1, mergeRules.size()));
        boolean crossesSpaceMark = false;
        int prefixLength = prefix == null ? 0 : prefix.length();
        for (int rank = 0; rank < mergeRules.size(); rank++) {
            MergeRule rule = mergeRules.get(rank);
            Integer left = vocab.get(rule.left());
            Integer right = vocab.get(rule.right());
            String mergedText = rule.left() + (rule.right().length() >= prefixLength ? rule.right().substring(prefixLength) : rule.right());
            Integer merged = vocab.get(mergedText);
            if (left == null || right == null || merged == null) {
                if (strictMerges) {
                    throw new IllegalArgumentException("merge " + (rank + 1) + " '" + rule.left() + " " + rule.right()
                            + "' uses a token that is not in the vocabulary");
                }
                continue;
            }
            merges.put(left, right, rank, merged);
            crossesSpaceMark |= rule.right().startsWith(SPACE_MARK) && !rule.left().endsWith(SPACE_MARK);
        }
        wordsStartAtSpaceMark = vocab.containsKey(SPACE_MARK) && !crossesSpaceMark && prefix == null && suffix == null;
    }

    private static String[] idToTokenOf(Map<String, Integer> vocab) {
        int maxId = -1;
        for (int id : vocab.values()) {
            if (id < 0) {
                throw new IllegalArgumentException("negative token id " + id + " in vocab");
            }
            maxId = Math.max(maxId, id);
        }
        String[] texts = new String[maxId + 1];
        vocab.forEach((token, id) -> texts[id] = token);
        return texts;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    int vocabSize() {
        return idToToken.length;
    }

    /** The token text of an id, or null. */
    String tokenText(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    int tokenId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    int mergeCount() {
        return merges.size();
    }

    /** Appends the ids of one pre-tokenized word. */
    void tokenize(String word, IntList out, Scratch scratch) {
        if (word.isEmpty()) {
            return;
        }
        if (ignoreMerges) {
            Integer whole = vocab.get(word);
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        if (wordsStartAtSpaceMark && word.length() >= CACHEABLE_LENGTH) {
            char mark = SPACE_MARK.charAt(0);
            int start = 0;
            for (int i = 1; i < word.length(); i++) {
                if (word.charAt(i) == mark && word.charAt(i - 1) != mark) {
                    tokenizePiece(word.substring(start, i), out, scratch);
                    start = i;
                }
            }
            tokenizePiece(word.substring(start), out, scratch);
            return;
        }
        tokenizePiece(word, out, scratch);
    }

    private void tokenizePiece(String word, IntList out, Scratch scratch) {
        boolean cacheable = word.length() < CACHEABLE_LENGTH;
        if (cacheable) {
            int[] hit = cache.get(word);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        int start = out.size();
        mergeWord(word, scratch, out);
        if (cacheable) {
            if (cache.size() >= CACHE_CAPACITY) {
                cache.clear();
            }
            int[] ids = new int[out.size() - start];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = out.get(start + i);
            }
            cache.put(word, ids);
        }
    }

    private void mergeWord(String word, Scratch s, IntList out) {
        s.reset(word.length() + 4);
        boolean pendingUnk = false;
        int n = word.length();
        for (int i = 0; i < n; ) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean first = i == 0;
            boolean last = next == n;
            int id;
            String symbolText = null;
            if (prefix == null && suffix == null && cp < 0x10000) {
                id = bmpCharIds[cp];
            } else {
                symbolText = word.substring(i, next);
                if (!first && prefix != null) {
                    symbolText = prefix + symbolText;
                }
                if (last && suffix != null) {
                    symbolText = symbolText + suffix;
                }
                id = vocab.getOrDefault(symbolText, -1);
            }
            i = next;
            if (id >= 0) {
                if (pendingUnk) {
                    s.addSymbol(unkId);
                    pendingUnk = false;
                }
                s.addSymbol(id);
                continue;
            }
            if (byteTokenIds != null) {
                // Hugging Face adds these without flushing a pending unknown token first; so do we.
                String text = symbolText != null ? symbolText : Character.toString(cp);
                for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                    s.addSymbol(byteTokenIds[b & 0xFF]);
                }
                continue;
            }
            if (unkId >= 0) {
                if (pendingUnk && !fuseUnk) {
                    s.addSymbol(unkId);
                }
                pendingUnk = true;
            }
            // With no unknown token Hugging Face drops the character.
        }
        if (pendingUnk) {
            s.addSymbol(unkId);
        }
        if (s.count == 0) {
            return;
        }
        applyMerges(s);
        for (int i = 0; i != -1; i = s.next[i]) {
            out.add(s.ids[i]);
        }
    }

    private void applyMerges(Scratch s) {
        MergeQueue queue = s.queue;
        queue.clear();
        int[] ids = s.ids;
        int[] prev = s.prev;
        int[] next = s.next;
        boolean[] removed = s.removed;
        for (int i = 0; i + 1 < s.count; i++) {
            long m = merges.get(ids[i], ids[i + 1]);
            if (m >= 0) {
                queue.push((int) (m >>> 32), i, (int) m);
            }
        }
        while (!queue.isEmpty()) {
            int pos = queue.topPosition();
            int mergedId = queue.topMergedId();
            queue.pop();
            if (removed[pos]) {
                continue;
            }
            int right = next[pos];
            if (right == -1) {
                continue;
            }
            long m = merges.get(ids[pos], ids[right]);
            if (m < 0 || (int) m != mergedId) {
                continue; // stale: a neighbour changed since this entry was queued
            }
            ids[pos] = mergedId;
            removed[right] = true;
            int after = next[right];
            next[pos] = after;
            if (after != -1) {
                prev[after] = pos;
            }
            int before = prev[pos];
            if (before != -1) {
                long left = merges.get(ids[before], mergedId);
                if (left >= 0) {
                    queue.push((int) (left >>> 32), before, (int) left);
                }
            }
            if (after != -1) {
                long r = merges.get(mergedId, ids[after]);
                if (r >= 0) {
                    queue.push((int) (r >>> 32), pos, (int) r);
                }
            }
        }
    }

    /** Per-call working arrays, so the model itself stays immutable and shareable across threads. */
    static final class Scratch {
        int[] ids = new int[64];
        int[] prev = new int[64];
        int[] next = new int[64];
        boolean[] removed = new boolean[64];
        int count;
        final MergeQueue queue = new MergeQueue();

        void reset(int capacity) {
            if (ids.length < capacity) {
                int c = Math.max(capacity, ids.length * 2);
                ids = new int[c];
                prev = new int[c];
                next = new int[c];
                removed = new boolean[c];
            }
            count = 0;
        }

        void addSymbol(int id) {
            if (count == ids.length) {
                int c = ids.length * 2;
                ids = Arrays.copyOf(ids, c);
                prev = Arrays.copyOf(prev, c);
                next = Arrays.copyOf(next, c);
                removed = Arrays.copyOf(removed, c);
            }
            ids[count] = id;
            prev[count] = count - 1;
            if (count > 0) {
                next[count - 1] = count;
            }
            next[count] = -1;
            removed[count] = false;
            count++;
        }
    }
}
