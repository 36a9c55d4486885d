package dev.cascade.weights.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The SentencePiece BPE tokenizer of a GGUF file whose {@code tokenizer.ggml.model} is "llama"
 * (Llama 1/2, Mistral v0.1, Phi-3, Baichuan, TinyLlama ...), giving the ids of llama.cpp's
 * {@code llm_tokenizer_spm} and Hugging Face's {@code LlamaTokenizerFast}:
 * <ol>
 * <li>Special tokens written in the text are cut out first ({@link SpecialTokenSplitter});
 * user-defined ones always, control ones only when {@code parseSpecial}.</li>
 * <li>Each remaining stretch of text gets a dummy-prefix space when it starts the text or follows a
 * special token (and {@code tokenizer.ggml.add_space_prefix}, default true, is set); spaces become
 * U+2581; the UTF-8 characters are the initial symbols.</li>
 * <li>{@link ScoredPairMerger} merges adjacent symbols into the best-scoring normal piece.</li>
 * <li>A symbol that is still no piece (a character outside the vocabulary) becomes its UTF-8 bytes
 * as {@code <0xHH>} tokens, or the unknown token where the vocabulary has no byte pieces.</li>
 * </ol>
 * Decoding follows Hugging Face's decoder for these models: U+2581 becomes a space, byte tokens
 * are raw bytes (a run of them that is not valid UTF-8 becomes U+FFFD per byte), one leading
 * space of the whole text is removed when the dummy prefix is in use, control and unknown tokens
 * are written as their text unless skipped. A lone surrogate in the input is encoded as U+FFFD.
 */
public final class GgufSpmVocab implements Tokenizer {
    private static final int SPACE_MARK_CODE_POINT = '\u2581';
    private static final byte[] SPACE_MARK = "\u2581".getBytes(StandardCharsets.UTF_8);

    private final SpmVocabulary vocabulary;
    private final SpecialTokens specialTokens;
    /** Normal pieces as UTF-8 bytes, U+2581 kept: what merges produce. */
    private final PieceIndex normalPieces;
    /** Every piece, for {@link #tokenId(String)}. */
    private final PieceIndex allPieces;
    private final ScoredPairMerger merger;
    /** The {@code <0xHH>} token of each byte value, or -1. */
    private final int[] byteToken = new int[256];
    /** The normal piece of each ASCII character (space as U+2581), or -1: skips hashing on most text. */
    private final int[] asciiPiece = new int[128];
    /** What each token contributes to decoded text, U+2581 already a space. */
    private final byte[][] decodedBytes;
    /** The byte a byte token stands for, or -1 for every other token. */
    private final int[] byteValue;
    private final SpecialTokenSplitter splitter;
    /** Where text can be cut into words that merge independently: a speed-up with identical results. */
    private final SpaceMarkBoundaries spaceBoundaries;

    private GgufSpmVocab(SpmVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        String[] tokens = vocabulary.tokens();
        SpmTokenType[] types = vocabulary.types();
        byte[][] utf8 = new byte[tokens.length][];
        decodedBytes = new byte[tokens.length][];
        byteValue = new int[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            utf8[id] = tokens[id].getBytes(StandardCharsets.UTF_8);
            byteValue[id] = types[id] == SpmTokenType.BYTE ? Integer.parseInt(tokens[id].substring(3, 5), 16) : -1;
            boolean plainText = types[id] == SpmTokenType.NORMAL || types[id] == SpmTokenType.UNUSED;
            decodedBytes[id] = plainText
                    ? tokens[id].replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8)
                    : utf8[id];
        }
        normalPieces = PieceIndex.of(utf8, id -> types[id] == SpmTokenType.NORMAL);
        allPieces = PieceIndex.of(utf8, id -> true);
        merger = new ScoredPairMerger(normalPieces, vocabulary.scores());
        spaceBoundaries = SpaceMarkBoundaries.of(tokens, id -> types[id] == SpmTokenType.NORMAL);
        for (int b = 0; b < 256; b++) {
            int id = allPieces.find(String.format("<0x%02X>", b).getBytes(StandardCharsets.US_ASCII), 0, 6);
            byteToken[b] = id >= 0 && types[id] == SpmTokenType.BYTE ? id : -1;
        }
        for (int c = 0; c < 128; c++) {
            byte[] piece = c == ' ' ? SPACE_MARK : new byte[] {(byte) c};
            asciiPiece[c] = normalPieces.find(piece, 0, piece.length);
        }
        List<SpecialTokenSplitter.Candidate> candidates = new ArrayList<>();
        for (int id = 0; id < tokens.length; id++) {
            SpmTokenType type = types[id];
            if (type == SpmTokenType.CONTROL || type == SpmTokenType.USER_DEFINED || type == SpmTokenType.UNKNOWN) {
                candidates.add(new SpecialTokenSplitter.Candidate(tokens[id], id, type == SpmTokenType.USER_DEFINED,
                        false, vocabulary.rstrip().get(id)));
            }
        }
        splitter = new SpecialTokenSplitter(candidates);
        specialTokens = new SpecialTokens(vocabulary.bos(), vocabulary.endOfGeneration(), vocabulary.unk(),
                vocabulary.pad(), vocabulary.addBos(), vocabulary.addEos());
    }

    /** The tokenizer described by a GGUF file's {@code tokenizer.ggml.*} metadata. */
    public static Tokenizer fromMetadata(Map<String, Object> metadata, Path file) {
        return new GgufSpmVocab(SpmVocabulary.fromGguf(metadata, file));
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        TokenSink out = new TokenSink(text.length() + 2);
        if (addSpecial && vocabulary.addBos()) {
            out.add(vocabulary.bos());
        }
        if (!text.isEmpty()) {
            boolean afterSpecial = true;
            for (TextFragment fragment : splitter.split(text, parseSpecial)) {
                if (fragment.isToken()) {
                    out.add(fragment.token());
                    afterSpecial = true;
                } else {
                    encodePlain(text, fragment.start(), fragment.end(),
                            vocabulary.addSpacePrefix() && afterSpecial, out);
                    afterSpecial = false;
                }
            }
        }
        if (addSpecial && vocabulary.addEos()) {
            out.add(vocabulary.eos());
        }
        return out.toArray();
    }

    private void encodePlain(String text, int from, int to, boolean dummyPrefix, TokenSink out) {
        int chars = to - from + (dummyPrefix ? 1 : 0);
        byte[] bytes = new byte[3 * chars + 1];
        int[] starts = new int[chars];
        int[] ids = new int[chars];
        // symbol indices where a word starts that no piece can join to the word before it
        int[] wordStarts = new int[chars + 1];
        int words = 0;
        int size = 0;
        int count = 0;
        int previous = -1;
        if (dummyPrefix) {
            size = putSpaceMark(bytes, size);
            ids[count] = asciiPiece[' '];
            starts[count++] = 0;
            previous = SPACE_MARK_CODE_POINT;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            starts[count] = size;
            if (c < 0x80) {
                if (c == ' ') {
                    if (previous >= 0 && !spaceBoundaries.canPrecedeSpaceMark(previous)) {
                        wordStarts[words++] = count;
                    }
                    size = putSpaceMark(bytes, size);
                    previous = SPACE_MARK_CODE_POINT;
                } else {
                    bytes[size++] = (byte) c;
                    previous = c;
                }
                ids[count++] = asciiPiece[c];
                continue;
            }
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                codePoint = 0xFFFD;
            }
            if (codePoint == SPACE_MARK_CODE_POINT && previous >= 0 && !spaceBoundaries.canPrecedeSpaceMark(previous)) {
                wordStarts[words++] = count;
            }
            previous = codePoint;
            int start = size;
            size = putUtf8(bytes, size, codePoint);
            ids[count++] = normalPieces.find(bytes, start, size - start);
        }
        wordStarts[words++] = count;
        ScoredPairMerger.Work work = new ScoredPairMerger.Work(count);
        int first = 0;
        for (int w = 0; w < words; w++) {
            int last = wordStarts[w];
            int end = last < count ? starts[last] : size;
            int merged = merger.mergeRange(bytes, starts, ids, first, last, end, work);
            for (int s = first; s < first + merged; s++) {
                if (ids[s] >= 0) {
                    out.add(ids[s]);
                } else {
                    addByteFallback(bytes, starts[s], s + 1 < first + merged ? starts[s + 1] : end, out);
                }
            }
            first = last;
        }
    }

    /**
     * A character outside the vocabulary: its UTF-8 bytes as byte tokens, or, where the vocabulary
     * lacks a byte piece it needs, one unknown token for the character (SentencePiece without
     * byte fallback).
     */
    private void addByteFallback(byte[] bytes, int start, int end, TokenSink out) {
        boolean allBytes = true;
        for (int b = start; b < end; b++) {
            allBytes &= byteToken[bytes[b] & 0xFF] >= 0;
        }
        if (allBytes) {
            for (int b = start; b < end; b++) {
                out.add(byteToken[bytes[b] & 0xFF]);
            }
        } else if (vocabulary.unk() >= 0) {
            out.add(vocabulary.unk());
        } else {
            throw new IllegalArgumentException("cannot encode '" + new String(bytes, start, end - start,
                    StandardCharsets.UTF_8) + "': the vocabulary has neither byte pieces for it nor an unknown token");
        }
    }

    private static int putSpaceMark(byte[] bytes, int at) {
        bytes[at] = SPACE_MARK[0];
        bytes[at + 1] = SPACE_MARK[1];
        bytes[at + 2] = SPACE_MARK[2];
        return at + 3;
    }

    private static int putUtf8(byte[] bytes, int at, int codePoint) {
        if (codePoint < 0x800) {
            bytes[at++] = (byte) (0xC0 | codePoint >>> 6);
        } else if (codePoint < 0x10000) {
            bytes[at++] = (byte) (0xE0 | codePoint >>> 12);
            bytes[at++] = (byte) (0x80 | (codePoint >>> 6 & 0x3F));
        } else {
            bytes[at++] = (byte) (0xF0 | codePoint >>> 18);
            bytes[at++] = (byte) (0x80 | (codePoint >>> 12 & 0x3F));
            bytes[at++] = (byte) (0x80 | (codePoint >>> 6 & 0x3F));
        }
        bytes[at++] = (byte) (0x80 | (codePoint & 0x3F));
        return at;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        DecodedText text = new DecodedText();
        for (int id : ids) {
            checkId(id);
            if (skipSpecial && vocabulary.types()[id].isSpecial()) {
                continue;
            }
            if (byteValue[id] >= 0) {
                text.appendByte((byte) byteValue[id]);
            } else {
                text.appendText(decodedBytes[id], 0);
            }
        }
        return text.toString(vocabulary.addSpacePrefix());
    }

    @Override
    public byte[] tokenBytes(int previous, int id) {
        checkId(id);
        if (byteValue[id] >= 0) {
            boolean strippedPrefix = previous == -1 && vocabulary.addSpacePrefix() && byteValue[id] == ' ';
            return strippedPrefix ? new byte[0] : new byte[] {(byte) byteValue[id]};
        }
        byte[] bytes = decodedBytes[id];
        if (previous == -1 && vocabulary.addSpacePrefix() && bytes.length > 0 && bytes[0] == ' ') {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes.clone();
    }

    private void checkId(int id) {
        if (id < 0 || id >= decodedBytes.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + decodedBytes.length);
        }
    }

    @Override
    public int vocabSize() {
        return vocabulary.tokens().length;
    }

    @Override
    public String tokenText(int id) {
        return id >= 0 && id < vocabulary.tokens().length ? vocabulary.tokens()[id] : null;
    }

    @Override
    public int tokenId(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        return bytes.length == 0 ? -1 : allPieces.find(bytes, 0, bytes.length);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** A growable int list for the output ids. */
    private static final class TokenSink {
        private int[] ids;
        private int size;

        TokenSink(int capacity) {
            ids = new int[Math.max(4, capacity)];
        }

        void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
