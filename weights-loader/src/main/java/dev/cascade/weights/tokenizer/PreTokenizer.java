package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cuts normalized text into the words the model encodes one by one (tokenizer.json "pre_tokenizer"). */
interface PreTokenizer {

    /** Appends the pieces {@code piece} becomes to {@code out}. Empty pieces are never appended. */
    void split(PreToken piece, List<PreToken> out);

    /** The GPT-2 split pattern that ByteLevel's use_regex applies. */
    Pattern GPT2_PATTERN = OnigurumaRegex.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    static PreTokenizer fromJson(JsonNode node) {
        String type = node.path("type").asText();
        return switch (type) {
            case "Sequence" -> {
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode child : node.path("pretokenizers")) {
                    steps.add(fromJson(child));
                }
                yield new Sequence(steps);
            }
            case "Split" -> new RegexSplit(patternOf(node.path("pattern")),
                    SplitBehavior.fromJson(node.path("behavior").asText()), node.path("invert").asBoolean(false));
            case "ByteLevel" -> new ByteLevel(node.path("add_prefix_space").asBoolean(true),
                    node.path("use_regex").asBoolean(true));
            case "Metaspace" -> new Metaspace(replacementOf(node),
                    Metaspace.prependSchemeOf(node), node.path("split").asBoolean(true));
            case "Digits" -> node.path("individual_digits").asBoolean(false)
                    ? new CharSplit(PreTokenizer::isNumeric, SplitBehavior.ISOLATED)
                    : new CharSplit(PreTokenizer::isNumeric, SplitBehavior.CONTIGUOUS);
            case "Punctuation" -> new CharSplit(PreTokenizer::isPunctuation,
                    node.hasNonNull("behavior") ? SplitBehavior.fromJson(node.path("behavior").asText()) : SplitBehavior.ISOLATED);
            case "WhitespaceSplit" -> new CharSplit(UnicodeChars::isWhiteSpace, SplitBehavior.REMOVED);
            // Hugging Face's Whitespace keeps the matches of \w+|[^\w\s]+ and drops the rest.
            case "Whitespace" -> new RegexSplit(OnigurumaRegex.compile("\\w+|[^\\w\\s]+"), SplitBehavior.REMOVED, true);
            default -> throw new IllegalArgumentException("unsupported pre_tokenizer '" + type + "'");
        };
    }

    private static Pattern patternOf(JsonNode pattern) {
        if (pattern.has("String")) {
            return Pattern.compile(Pattern.quote(pattern.path("String").asText()));
        }
        if (pattern.has("Regex")) {
            return OnigurumaRegex.compile(pattern.path("Regex").asText());
        }
        throw new IllegalArgumentException("pattern is neither String nor Regex: " + pattern);
    }

    private static int replacementOf(JsonNode node) {
        String r = node.path("replacement").asText("\u2581");
        return r.codePointAt(0);
    }

    /** Rust's char::is_numeric: general categories Nd, Nl, No. */
    static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /**
     * Hugging Face's is_punc: ASCII punctuation (which includes $+<=>^`|~) or a Unicode P* category
     * as of Unicode 8.0, the tables it was built with.
     */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return cp > 0x20 && cp < 0x7F && !Character.isLetterOrDigit(cp);
        }
        int t = Character.getType(cp);
        boolean java = t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                || t == Character.OTHER_PUNCTUATION;
        return HfPunctuationTable.isPunctuation(cp, java);
    }

    /** Runs each step on every piece the previous step produced. */
    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public void split(PreToken piece, List<PreToken> out) {
            List<PreToken> current = List.of(piece);
            for (PreTokenizer step : steps) {
                List<PreToken> next = new ArrayList<>(current.size() * 2);
                for (PreToken p : current) {
                    step.split(p, next);
                }
                current = next;
            }
            out.addAll(current);
        }
    }

    /** Hugging Face's Split: regex (or quoted string) matches are delimiters. */
    record RegexSplit(Pattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
        @Override
        public void split(PreToken piece, List<PreToken> out) {
            IntList bounds = new IntList(16);
            Matcher m = pattern.matcher(piece.text());
            while (m.find()) {
                bounds.add(m.start());
                bounds.add(m.end());
            }
            behavior.split(piece, bounds, invert, out);
        }
    }

    /** Splits where single code points satisfy a predicate (Digits, Punctuation, WhitespaceSplit). */
    record CharSplit(IntPredicate delimiter, SplitBehavior behavior) implements PreTokenizer {
        @Override
        public void split(PreToken piece, List<PreToken> out) {
            String text = piece.text();
            IntList bounds = new IntList(8);
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (delimiter.test(cp)) {
                    bounds.add(i);
                    bounds.add(next);
                }
                i = next;
            }
            behavior.split(piece, bounds, false, out);
        }
    }

    /**
     * GPT-2 style: optionally a leading space, optionally the GPT-2 split, then every UTF-8 byte
     * becomes its printable stand-in char (see {@link ByteLevelAlphabet}).
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
        @Override
        public void split(PreToken piece, List<PreToken> out) {
            String text = piece.text();
            if (addPrefixSpace && !text.startsWith(" ")) {
                text = " " + text;
            }
            if (!useRegex) {
                out.add(new PreToken(ByteLevelAlphabet.encode(text), piece.atInputStart()));
                return;
            }
            Matcher m = GPT2_PATTERN.matcher(text);
            int prev = 0;
            while (m.find()) {
                if (m.start() > prev) {
                    out.add(new PreToken(ByteLevelAlphabet.encode(text.substring(prev, m.start())), piece.atInputStart() && prev == 0));
                }
                if (m.end() > m.start()) {
                    out.add(new PreToken(ByteLevelAlphabet.encode(text.substring(m.start(), m.end())), piece.atInputStart() && m.start() == 0));
                }
                prev = m.end();
            }
            if (prev < text.length()) {
                out.add(new PreToken(ByteLevelAlphabet.encode(text.substring(prev)), piece.atInputStart() && prev == 0));
            }
        }
    }

    /**
     * SentencePiece style: spaces become the replacement char (U+2581), which is prepended
     * (always, only at the start of the input, or never) and optionally split before.
     */
    record Metaspace(int replacement, PrependScheme prependScheme, boolean splitOnReplacement) implements PreTokenizer {
        enum PrependScheme { ALWAYS, FIRST, NEVER }

        static PrependScheme prependSchemeOf(JsonNode node) {
            if (node.hasNonNull("prepend_scheme")) {
                return switch (node.path("prepend_scheme").asText()) {
                    case "always" -> PrependScheme.ALWAYS;
                    case "first" -> PrependScheme.FIRST;
                    case "never" -> PrependScheme.NEVER;
                    default -> throw new IllegalArgumentException("unknown prepend_scheme " + node.path("prepend_scheme"));
                };
            }
            // Files written before prepend_scheme existed only have add_prefix_space.
            return node.path("add_prefix_space").asBoolean(true) ? PrependScheme.ALWAYS : PrependScheme.NEVER;
        }

        @Override
        public void split(PreToken piece, List<PreToken> out) {
            String rep = Character.toString(replacement);
            String text = piece.text().replace(" ", rep);
            boolean prepend = switch (prependScheme) {
                case ALWAYS -> true;
                case FIRST -> piece.atInputStart();
                case NEVER -> false;
            };
            if (prepend && !text.startsWith(rep)) {
                text = rep + text;
            }
            PreToken replaced = new PreToken(text, piece.atInputStart());
            if (!splitOnReplacement) {
                out.add(replaced);
                return;
            }
            IntList bounds = new IntList(16);
            for (int i = text.indexOf(rep); i >= 0; i = text.indexOf(rep, i + rep.length())) {
                bounds.add(i);
                bounds.add(i + rep.length());
            }
            SplitBehavior.MERGED_WITH_NEXT.split(replaced, bounds, false, out);
        }
    }
}
