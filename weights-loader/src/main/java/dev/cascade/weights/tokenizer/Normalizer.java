package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rewrites text before pre-tokenization (tokenizer.json "normalizer"); applied to each stretch between added tokens. */
interface Normalizer {

    String normalize(String text);

    static Normalizer fromJson(JsonNode node) {
        String type = node.path("type").asText();
        return switch (type) {
            case "Sequence" -> {
                List<Normalizer> steps = new ArrayList<>();
                for (JsonNode child : node.path("normalizers")) {
                    steps.add(fromJson(child));
                }
                yield new Sequence(steps);
            }
            case "Prepend" -> new Prepend(node.path("prepend").asText());
            case "Append" -> new Append(node.path("append").asText());
            case "Replace" -> Replace.fromJson(node);
            case "NFC" -> new UnicodeForm(java.text.Normalizer.Form.NFC);
            case "NFD" -> new UnicodeForm(java.text.Normalizer.Form.NFD);
            case "NFKC" -> new UnicodeForm(java.text.Normalizer.Form.NFKC);
            case "NFKD" -> new UnicodeForm(java.text.Normalizer.Form.NFKD);
            case "Lowercase" -> new Lowercase();
            case "Strip" -> new Strip(node.path("strip_left").asBoolean(true), node.path("strip_right").asBoolean(true));
            case "StripAccents" -> new StripAccents();
            default -> throw new IllegalArgumentException("unsupported normalizer '" + type + "'");
        };
    }

    record Sequence(List<Normalizer> steps) implements Normalizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public String normalize(String text) {
            for (Normalizer step : steps) {
                text = step.normalize(text);
            }
            return text;
        }
    }

    /** Adds a prefix to non-empty text (SentencePiece's dummy "▁" before the first word). */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    record Append(String suffix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : text + suffix;
        }
    }

    /** Replaces every match of a literal string or a regex. */
    record Replace(String literal, Pattern regex, String content) implements Normalizer {
        static Replace fromJson(JsonNode node) {
            JsonNode pattern = node.path("pattern");
            String content = node.path("content").asText();
            if (pattern.has("String")) {
                return new Replace(pattern.path("String").asText(), null, content);
            }
            if (pattern.has("Regex")) {
                return new Replace(null, OnigurumaRegex.compile(pattern.path("Regex").asText()), content);
            }
            throw new IllegalArgumentException("Replace pattern is neither String nor Regex: " + pattern);
        }

        @Override
        public String normalize(String text) {
            if (literal != null) {
                return literal.isEmpty() ? text : text.replace(literal, content);
            }
            return regex.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }
    }

    record UnicodeForm(java.text.Normalizer.Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            return java.text.Normalizer.normalize(text, form);
        }
    }

    /** Per-character lowercasing as Rust's char::to_lowercase (no context rules such as final sigma). */
    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String text) {
            StringBuilder sb = new StringBuilder(text.length());
            text.codePoints().forEach(cp -> {
                if (cp == 0x130) {
                    sb.append("i\u0307"); // the only unconditional one-to-many lowercase mapping
                } else {
                    sb.appendCodePoint(Character.toLowerCase(cp));
                }
            });
            return sb.toString();
        }
    }

    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public String normalize(String text) {
            int start = 0;
            int end = text.length();
            while (left && start < end && UnicodeChars.isWhiteSpace(text.codePointAt(start))) {
                start += Character.charCount(text.codePointAt(start));
            }
            while (right && end > start && UnicodeChars.isWhiteSpace(text.codePointBefore(end))) {
                end -= Character.charCount(text.codePointBefore(end));
            }
            return text.substring(start, end);
        }
    }

    /** Drops combining marks (meant to follow NFD). */
    record StripAccents() implements Normalizer {
        @Override
        public String normalize(String text) {
            StringBuilder sb = new StringBuilder(text.length());
            text.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(sb::appendCodePoint);
            return sb.toString();
        }
    }
}
