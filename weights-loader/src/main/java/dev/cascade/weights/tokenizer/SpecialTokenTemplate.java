package dev.cascade.weights.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;

/**
 * The ids add_special_tokens puts around a single sequence: what tokenizer.json's
 * "post_processor" (TemplateProcessing, RobertaProcessing, BertProcessing, Sequence) adds, or
 * nothing (ByteLevel, none).
 */
record SpecialTokenTemplate(int[] prefix, int[] suffix) {
    static final SpecialTokenTemplate NONE = new SpecialTokenTemplate(new int[0], new int[0]);

    SpecialTokenTemplate {
        prefix = prefix.clone();
        suffix = suffix.clone();
    }

    @Override
    public int[] prefix() {
        return prefix.clone();
    }

    @Override
    public int[] suffix() {
        return suffix.clone();
    }

    boolean prefixContains(int id) {
        return id >= 0 && Arrays.stream(prefix).anyMatch(x -> x == id);
    }

    boolean suffixContains(int id) {
        return id >= 0 && Arrays.stream(suffix).anyMatch(x -> x == id);
    }

    /** {@code outer} wraps this: Hugging Face's Sequence runs processors in order on the growing encoding. */
    SpecialTokenTemplate wrappedBy(SpecialTokenTemplate outer) {
        int[] p = concat(outer.prefix, prefix);
        int[] s = concat(suffix, outer.suffix);
        return new SpecialTokenTemplate(p, s);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static SpecialTokenTemplate fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "ByteLevel" -> NONE;
            case "TemplateProcessing" -> fromTemplate(node);
            case "RobertaProcessing", "BertProcessing" -> new SpecialTokenTemplate(
                    new int[] {node.path("cls").path(1).asInt()}, new int[] {node.path("sep").path(1).asInt()});
            case "Sequence" -> {
                SpecialTokenTemplate result = NONE;
                for (JsonNode child : node.path("processors")) {
                    result = result.wrappedBy(fromJson(child));
                }
                yield result;
            }
            default -> throw new IllegalArgumentException("unsupported post_processor '" + type + "'");
        };
    }

    private static SpecialTokenTemplate fromTemplate(JsonNode node) {
        IntList prefix = new IntList(4);
        IntList suffix = new IntList(4);
        boolean seenSequence = false;
        for (JsonNode piece : node.path("single")) {
            if (piece.has("Sequence")) {
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = piece.path("SpecialToken").path("id").asText();
                JsonNode special = node.path("special_tokens").path(name);
                if (!special.has("ids")) {
                    throw new IllegalArgumentException("template names special token '" + name + "' that special_tokens lacks");
                }
                for (JsonNode id : special.path("ids")) {
                    (seenSequence ? suffix : prefix).add(id.asInt());
                }
            }
        }
        return new SpecialTokenTemplate(prefix.toArray(), suffix.toArray());
    }
}
