package dev.cascade.weights.chat;

/**
 * Rendering failed: an undefined value used where Jinja refuses one, a type error, an unknown filter
 * or test, too deep a recursion. Thrown without a position deep inside value code; the renderer adds
 * the position of the innermost expression or statement on the way out.
 */
public class TemplateRenderException extends TemplateException {
    TemplateRenderException(String detail) {
        super(detail, null);
    }

    TemplateRenderException(String detail, SourcePosition position) {
        super(detail, position);
    }

    /** This error with a position, unless it has one already. */
    TemplateRenderException at(SourcePosition where) {
        return position() != null ? this : new TemplateRenderException(detail(), where);
    }
}
