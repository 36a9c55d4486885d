package dev.cascade.weights.chat;

/** The template source is not valid Jinja (or uses a tag this interpreter does not know). */
public final class TemplateSyntaxException extends TemplateException {
    TemplateSyntaxException(String detail, SourcePosition position) {
        super(detail, position);
    }
}
