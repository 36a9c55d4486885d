package dev.cascade.weights.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face's encode/decode pipeline around a BPE model: added tokens are cut out of the raw
 * text, the rest is normalized (piece by piece), normalized added tokens are cut out, the
 * pre-tokenizer splits words, the model encodes each word, and add_special_tokens wraps the
 * result. Built from tokenizer.json ({@link HfTokenizerJson}) or GGUF metadata ({@link GgufBpeVocab}).
 */
final class BpePipelineTokenizer implements Tokenizer {

    /**
     * The parts of the pipeline; normalizer and preTokenizer may be null (absent).
     * {@code addedTokensVerbatim}: decode writes added tokens' text as it is instead of passing it
     * through the decoder (llama.cpp's rule for control and user-defined tokens; Hugging Face
     * decodes them like any token).
     */
    record Parts(BpeModel model, List<AddedToken> addedTokens, Normalizer normalizer, PreTokenizer preTokenizer,
                 Decoder decoder, SpecialTokenTemplate template, SpecialTokens specialTokens,
                 boolean addedTokensVerbatim) {
        Parts {
            addedTokens = List.copyOf(addedTokens);
        }
    }

    private final BpeModel model;
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final Decoder decoder;
    private final SpecialTokenTemplate template;
    private final SpecialTokens specialTokens;
    private final AddedTokenSplitter rawSplitter;
    private final AddedTokenSplitter normalizedSplitter;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final Map<String, AddedToken> addedByContent = new HashMap<>();
    private final int vocabSize;
    private final boolean addedTokensVerbatim;

    BpePipelineTokenizer(Parts parts) {
        model = parts.model();
        normalizer = parts.normalizer();
        preTokenizer = parts.preTokenizer();
        decoder = parts.decoder();
        template = parts.template();
        specialTokens = parts.specialTokens();
        addedTokensVerbatim = parts.addedTokensVerbatim();
        List<AddedToken> raw = new ArrayList<>();
        List<AddedToken> normalized = new ArrayList<>();
        int maxId = model.vocabSize() - 1;
        for (AddedToken t : parts.addedTokens()) {
            (t.normalized() ? normalized : raw).add(t);
            addedById.put(t.id(), t);
            addedByContent.put(t.content(), t);
            maxId = Math.max(maxId, t.id());
        }
        rawSplitter = new AddedTokenSplitter(raw);
        normalizedSplitter = new AddedTokenSplitter(normalized);
        vocabSize = maxId + 1;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 8);
        if (addSpecial) {
            out.addAll(template.prefix());
        }
        BpeModel.Scratch scratch = new BpeModel.Scratch();
        List<AddedTokenSplitter.Segment> rawSegments = new ArrayList<>();
        rawSplitter.split(text, true, parseSpecial, rawSegments);
        List<AddedTokenSplitter.Segment> normalizedSegments = new ArrayList<>();
        List<PreToken> words = new ArrayList<>();
        for (AddedTokenSplitter.Segment segment : rawSegments) {
            if (segment.tokenId() >= 0) {
                out.add(segment.tokenId());
                continue;
            }
            String normalizedText = normalizer == null ? segment.text() : normalizer.normalize(segment.text());
            normalizedSegments.clear();
            normalizedSplitter.split(normalizedText, segment.atInputStart(), parseSpecial, normalizedSegments);
            for (AddedTokenSplitter.Segment piece : normalizedSegments) {
                if (piece.tokenId() >= 0) {
                    out.add(piece.tokenId());
                } else if (preTokenizer == null) {
                    model.tokenize(piece.text(), out, scratch);
                } else {
                    words.clear();
                    preTokenizer.split(new PreToken(piece.text(), piece.atInputStart()), words);
                    for (PreToken word : words) {
                        model.tokenize(word.text(), out, scratch);
                    }
                }
            }
        }
        if (addSpecial) {
            out.addAll(template.suffix());
        }
        return out.toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecial) {
        StringBuilder out = new StringBuilder();
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            AddedToken added = addedById.get(id);
            if (added != null) {
                if (skipSpecial && added.special()) {
                    continue;
                }
                if (addedTokensVerbatim) {
                    flush(tokens, out);
                    out.append(added.content());
                } else {
                    tokens.add(added.content());
                }
            } else {
                String text = model.tokenText(id);
                if (text != null) { // Hugging Face skips ids it does not know
                    tokens.add(text);
                }
            }
        }
        flush(tokens, out);
        return out.toString();
    }

    private void flush(List<String> tokens, StringBuilder out) {
        if (!tokens.isEmpty()) {
            for (String s : decoder.decodeChain(tokens)) {
                out.append(s);
            }
            tokens.clear();
        }
    }

    @Override
    public byte[] tokenBytes(int previous, int id) {
        String text = tokenText(id);
        if (text == null) {
            return new byte[0];
        }
        if (addedTokensVerbatim && addedById.containsKey(id)) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        return decoder.decodeOne(Decoder.Piece.ofText(text), previous < 0).toBytes();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public String tokenText(int id) {
        AddedToken added = addedById.get(id);
        return added != null ? added.content() : model.tokenText(id);
    }

    @Override
    public int tokenId(String token) {
        AddedToken added = addedByContent.get(token);
        return added != null ? added.id() : model.tokenId(token);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** Whether decode(skipSpecial) drops this id. */
    boolean isSpecial(int id) {
        AddedToken added = addedById.get(id);
        return added != null && added.special();
    }
}
