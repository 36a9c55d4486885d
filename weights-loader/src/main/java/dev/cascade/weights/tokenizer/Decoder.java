package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.weights.text.Utf8;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns token strings back into text (tokenizer.json "decoder"). {@link #decodeChain} is Hugging
 * Face's whole-sequence decode; {@link #decodeOne} is the same rule for one token at a time, used
 * for streaming, where a token can stand for raw bytes of a character not yet complete.
 */
interface Decoder {

    List<String> decodeChain(List<String> tokens);

    /** One token's contribution; {@code first} when it starts the output. */
    Piece decodeOne(Piece piece, boolean first);

    /** A token on its way through the decoders: still text, or already raw bytes. */
    record Piece(String text, byte[] bytes) {
        static Piece ofText(String text) {
            return new Piece(text, null);
        }

        static Piece ofBytes(byte[] bytes) {
            return new Piece(null, bytes);
        }

        boolean isText() {
            return text != null;
        }

        byte[] toBytes() {
            return bytes != null ? bytes : text.getBytes(StandardCharsets.UTF_8);
        }
    }

    static Decoder fromJson(JsonNode node) {
        String type = node.path("type").asText();
        return switch (type) {
            case "Sequence" -> {
                List<Decoder> steps = new ArrayList<>();
                for (JsonNode child : node.path("decoders")) {
                    steps.add(fromJson(child));
                }
                yield new Sequence(steps);
            }
            case "ByteLevel" -> new ByteLevel();
            case "Metaspace" -> new Metaspace(node.path("replacement").asText("\u2581").codePointAt(0),
                    PreTokenizer.Metaspace.prependSchemeOf(node) != PreTokenizer.Metaspace.PrependScheme.NEVER);
            case "Replace" -> Replace.fromJson(node);
            case "ByteFallback" -> new ByteFallback();
            case "Fuse" -> new Fuse();
            case "Strip" -> new Strip(node.path("content").asText(" ").codePointAt(0),
                    node.path("start").asInt(0), node.path("stop").asInt(0));
            case "BPEDecoder" -> new WordSuffix(node.path("suffix").asText("</w>"));
            default -> throw new IllegalArgumentException("unsupported decoder '" + type + "'");
        };
    }

    /** No decoder in the file: Hugging Face joins the tokens with spaces. */
    record SpaceJoin() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join(" ", tokens));
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            return first || !piece.isText() ? piece : Piece.ofText(" " + piece.text());
        }
    }

    record Sequence(List<Decoder> steps) implements Decoder {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            for (Decoder step : steps) {
                tokens = step.decodeChain(tokens);
            }
            return tokens;
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            for (Decoder step : steps) {
                piece = step.decodeOne(piece, first);
            }
            return piece;
        }
    }

    /** Maps each char back to the byte it stands for, then reads the bytes as UTF-8. */
    record ByteLevel() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String t : tokens) {
                ByteLevelAlphabet.decodeInto(t, bytes);
            }
            // from_utf8_lossy: each maximal invalid subpart is one U+FFFD
            return List.of(Utf8.decode(bytes.toByteArray()));
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            if (!piece.isText()) {
                return piece;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(piece.text().length());
            ByteLevelAlphabet.decodeInto(piece.text(), bytes);
            return Piece.ofBytes(bytes.toByteArray());
        }
    }

    /** U+2581 back to spaces; in the first token Hugging Face drops them (the prepended space). */
    record Metaspace(int replacement, boolean dropInFirst) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(apply(tokens.get(i), i == 0));
            }
            return out;
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            return piece.isText() ? Piece.ofText(apply(piece.text(), first)) : piece;
        }

        private String apply(String token, boolean first) {
            String rep = Character.toString(replacement);
            return token.replace(rep, first && dropInFirst ? "" : " ");
        }
    }

    record Replace(String literal, Pattern regex, String content) implements Decoder {
        static Replace fromJson(JsonNode node) {
            Normalizer.Replace r = Normalizer.Replace.fromJson(node);
            return new Replace(r.literal(), r.regex(), r.content());
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                out.add(apply(t));
            }
            return out;
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            return piece.isText() ? Piece.ofText(apply(piece.text())) : piece;
        }

        private String apply(String token) {
            if (literal != null) {
                return literal.isEmpty() ? token : token.replace(literal, content);
            }
            return regex.matcher(token).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    /**
     * {@code <0xHH>} tokens are raw bytes. A run of them that is valid UTF-8 becomes its text; an
     * invalid run becomes one U+FFFD per byte (Hugging Face's rule, not from_utf8_lossy).
     */
    record ByteFallback() implements Decoder {
        static int byteOf(String token) {
            if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
                int hi = Character.digit(token.charAt(3), 16);
                int lo = Character.digit(token.charAt(4), 16);
                if (hi >= 0 && lo >= 0) {
                    return hi * 16 + lo;
                }
            }
            return -1;
        }

        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            ByteArrayOutputStream run = new ByteArrayOutputStream();
            for (String t : tokens) {
                int b = byteOf(t);
                if (b >= 0) {
                    run.write(b);
                } else {
                    flush(run, out);
                    out.add(t);
                }
            }
            flush(run, out);
            return out;
        }

        private static void flush(ByteArrayOutputStream run, List<String> out) {
            if (run.size() == 0) {
                return;
            }
            byte[] bytes = run.toByteArray();
            run.reset();
            var decoder = StandardCharsets.UTF_8.newDecoder();
            try {
                out.add(decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                for (int i = 0; i < bytes.length; i++) {
                    out.add("\uFFFD");
                }
            }
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            if (piece.isText()) {
                int b = byteOf(piece.text());
                if (b >= 0) {
                    return Piece.ofBytes(new byte[] {(byte) b});
                }
            }
            return piece;
        }
    }

    /** Joins all tokens into one string (so later steps see the whole text). */
    record Fuse() implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            return List.of(String.join("", tokens));
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            return piece;
        }
    }

    /**
     * Removes up to {@code start} copies of a char from the front and {@code stop} from the end of
     * each token. After Fuse there is one token, so Llama's Strip(' ', 1, 0) drops the leading space
     * of the output. Streaming applies {@code start} to the first token only and cannot apply
     * {@code stop} (the end is not known yet).
     */
    record Strip(int content, int start, int stop) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int[] cps = t.codePoints().toArray();
                int from = 0;
                while (from < Math.min(start, cps.length) && cps[from] == content) {
                    from++;
                }
                int to = cps.length;
                for (int i = 0; i < stop && to > from && cps[to - 1] == content; i++) {
                    to--;
                }
                out.add(new String(cps, from, to - from));
            }
            return out;
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            if (!first || start == 0) {
                return piece;
            }
            byte[] contentBytes = Character.toString(content).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = piece.toBytes();
            int from = 0;
            for (int i = 0; i < start && startsWith(bytes, from, contentBytes); i++) {
                from += contentBytes.length;
            }
            return from == 0 ? piece : Piece.ofBytes(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        }

        private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
            if (bytes.length - from < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[from + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Original BPE's end-of-word suffix (e.g. "</w>") becomes a space, and nothing after the last token. */
    record WordSuffix(String suffix) implements Decoder {
        @Override
        public List<String> decodeChain(List<String> tokens) {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        }

        @Override
        public Piece decodeOne(Piece piece, boolean first) {
            return piece.isText() ? Piece.ofText(piece.text().replace(suffix, " ")) : piece;
        }
    }
}
