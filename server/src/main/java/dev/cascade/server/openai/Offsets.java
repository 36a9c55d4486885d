package dev.cascade.server.openai;

/** How text_offset counts characters. */
public final class Offsets {
    private Offsets() {
    }

    /**
     * A text's length in Unicode code points, as Python's len() counts it, so that offsets agree with
     * OpenAI's and vLLM's for text outside the Basic Multilingual Plane (an emoji is 1, not 2).
     */
    public static int length(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }
}
