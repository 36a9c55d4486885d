package dev.cascade.weights.tokenizer;

import dev.cascade.weights.ModelFormatException;
import dev.cascade.weights.text.Utf8;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The tokenizer of llama2.c models ({@code tokenizer.bin} next to a {@code .bin} checkpoint), encoding
 * and decoding exactly as llama2.c's {@code run.c}:
 * <ul>
 * <li>encode: BOS (when {@code addSpecial}), then, for non-empty text, the single-space piece as a
 * dummy prefix; each UTF-8 code point becomes its piece, or byte-fallback tokens {@code byte + 3}
 * when it is not a piece; then the adjacent pair whose concatenated pieces form the best-scoring
 * piece is merged (leftmost on ties) until none does. Pieces hold plain spaces, not U+2581.
 * run.c recognises no special-token text in prompts, so {@code parseSpecial} has no effect.</li>
 * <li>decode: a piece loses its leading space when it follows BOS (run.c), and also when it is the
 * first id of the sequence (SentencePiece drops its dummy prefix the same way), so that
 * {@code decode(encode(s, false))} is s. {@code <0xHH>} pieces are the raw byte HH. run.c's
 * printing filter for non-printable single bytes is a display concern and is not applied.</li>
 * <li>special tokens: unk 0, BOS 1, EOS 2 (llama2.c's fixed ids; their pieces are {@code <unk>},
 * newline-{@code <s>}-newline, newline-{@code </s>}-newline). llama2.c models are trained with
 * BOS between documents and never see EOS, and run.c stops generating when the model emits BOS.
 * So {@link SpecialTokens#eos()} is [2, 1]: EOS first, as the vocabulary names it, and BOS so
 * that a generation loop stopping on any eos id stops where run.c stops.</li>
 * </ul>
 */
public final class Llama2cTokenizer implements Tokenizer {
    private static final int UNK = 0;
    private static final int BOS = 1;
    private static final int EOS = 2;
    /** run.c maps byte b to token b + 3, after unk, BOS and EOS. */
    private static final int BYTE_TOKEN_OFFSET = 3;

    private final byte[][] pieces;
    /** The byte a {@code <0xHH>} piece stands for, or -1. */
    private final int[] byteValue;
    private final PieceIndex index;
    private final ScoredPairMerger merger;
    private final int spaceToken;
    private final SpecialTokens specialTokens =
            new SpecialTokens(BOS, List.of(EOS, BOS), UNK, -1, true, false);

    private Llama2cTokenizer(Llama2cVocabulary vocabulary) {
        this.pieces = vocabulary.pieces();
        this.byteValue = new int[pieces.length];
        for (int id = 0; id < pieces.length; id++) {
            byteValue[id] = parseByteToken(pieces[id]);
        }
        this.index = PieceIndex.of(pieces, id -> true);
        this.merger = new ScoredPairMerger(index, vocabulary.scores());
        this.spaceToken = index.find(new byte[] {' '}, 0, 1);
    }

    /** Reads a llama2.c tokenizer file holding {@code vocabSize} tokens (the model header's |vocab_size|). */
    public static Tokenizer load(Path tokenizerBin, int vocabSize) {
        if (vocabSize < 256 + BYTE_TOKEN_OFFSET) {
            throw new ModelFormatException(tokenizerBin, "vocabulary size " + vocabSize
                    + " is too small: llama2.c byte fallback needs ids 3..258 for the 256 bytes");
        }
        return new Llama2cTokenizer(Llama2cVocabulary.read(tokenizerBin, vocabSize));
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int prefix = addSpecial ? 1 : 0;
        if (utf8.length == 0) {
            return addSpecial ? new int[] {BOS} : new int[0];
        }
        // Symbols are the pieces of the initial tokens laid end to end, so that merging two
        // adjacent symbols looks up exactly the concatenation of their pieces, as run.c does.
        int capacity = utf8.length + 1;
        int[] starts = new int[capacity];
        int[] ids = new int[capacity];
        SymbolText symbols = new SymbolText(utf8.length * 2 + 8);
        int count = 0;
        count = symbols.add(starts, ids, count, spaceToken >= 0 ? spaceToken : ' ' + BYTE_TOKEN_OFFSET);
        for (int at = 0; at < utf8.length; ) {
            int length = Math.min(Utf8.charLength(utf8[at]), utf8.length - at);
            int id = index.find(utf8, at, length);
            if (id >= 0) {
                count = symbols.add(starts, ids, count, id);
            } else {
                for (int i = at; i < at + length; i++) {
                    count = symbols.add(starts, ids, count, (utf8[i] & 0xFF) + BYTE_TOKEN_OFFSET);
                }
            }
            at += length;
        }
        int merged = merger.merge(symbols.bytes, starts, ids, count, symbols.size);
        int[] result = new int[prefix + merged];
        if (addSpecial) {
            result[0] = BOS;
        }
        System.arraycopy(ids, 0, result, prefix, merged);
        return result;
    }

    /** The pieces of the initial symbols, concatenated. */
    private final class SymbolText {
        byte[] bytes;
        int size;

        SymbolText(int capacity) {
            bytes = new byte[capacity];
        }

        int add(int[] starts, int[] ids, int count, int id) {
            byte[] piece = pieces[id];
            if (size + piece.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + piece.length));
            }
            System.arraycopy(piece, 0, bytes, size, piece.length);
            starts[count] = size;
            ids[count] = id;
            size += piece.length;
            return count + 1;
        }
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        DecodedText text = new DecodedText();
        for (int i = 0; i < ids.length; i++) {
            int id = checkId(ids[i]);
            if (skipSpecial && isSpecial(id)) {
                continue;
            }
            if (byteValue[id] >= 0) {
                text.appendByte((byte) byteValue[id]);
            } else {
                text.appendText(pieces[id], dropsLeadingSpace(i == 0 ? -1 : ids[i - 1], id) ? 1 : 0);
            }
        }
        return text.toString(false);
    }

    @Override
    public byte[] tokenBytes(int previous, int id) {
        checkId(id);
        if (byteValue[id] >= 0) {
            return new byte[] {(byte) byteValue[id]};
        }
        byte[] piece = pieces[id];
        return dropsLeadingSpace(previous, id) ? Arrays.copyOfRange(piece, 1, piece.length) : piece.clone();
    }

    private boolean dropsLeadingSpace(int previous, int id) {
        return (previous == -1 || previous == BOS) && pieces[id].length > 0 && pieces[id][0] == ' ';
    }

    private static boolean isSpecial(int id) {
        return id == UNK || id == BOS || id == EOS;
    }

    private int checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + pieces.length);
        }
        return id;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public String tokenText(int id) {
        return id >= 0 && id < pieces.length ? new String(pieces[id], StandardCharsets.UTF_8) : null;
    }

    @Override
    public int tokenId(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        return bytes.length == 0 ? -1 : index.find(bytes, 0, bytes.length);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** The byte of a piece written exactly {@code <0xHH>}, or -1. */
    static int parseByteToken(byte[] piece) {
        if (piece.length != 6 || piece[0] != '<' || piece[1] != '0' || piece[2] != 'x' || piece[5] != '>') {
            return -1;
        }
        int high = Character.digit(piece[3], 16);
        int low = Character.digit(piece[4], 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }
}
