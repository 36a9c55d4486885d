package dev.cascade.weights.chat;

/**
 * A chat template that cannot be parsed or rendered. The position, when known, is where in the
 * template's source the problem is; it is part of the message so a log line alone says where to look.
 */
public class TemplateException extends RuntimeException {
    private final String detail;
    private final SourcePosition position;

    TemplateException(String detail, SourcePosition position) {
        super(position == null ? detail : detail + " (at " + position + ")");
        this.detail = detail;
        this.position = position;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }

    /** Where in the template source, or null when not known. */
    public SourcePosition position() {
        return position;
    }
}
