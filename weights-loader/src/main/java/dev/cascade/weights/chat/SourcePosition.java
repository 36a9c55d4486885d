package dev.cascade.weights.chat;

/** A place in a template's source: 1-based line and column, for error messages. */
public record SourcePosition(int line, int column) {

    /** The position of character {@code offset} of {@code source} (offsets past the end clamp). */
    static SourcePosition of(String source, int offset) {
        int end = Math.min(Math.max(offset, 0), source.length());
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < end; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePosition(line, end - lineStart + 1);
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
