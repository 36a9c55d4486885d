package dev.cascade.weights.chat;

/**
 * The template called {@code raise_exception(message)}, the way Hugging Face templates refuse a
 * conversation they cannot format (for example roles that do not alternate). The message is exactly
 * the template's, as in transformers; the position is available separately.
 */
public final class TemplateRaisedException extends TemplateRenderException {
    private final String templateMessage;

    TemplateRaisedException(String templateMessage) {
        this(templateMessage, null);
    }

    private TemplateRaisedException(String templateMessage, SourcePosition position) {
        super(templateMessage, position);
        this.templateMessage = templateMessage;
    }

    @Override
    public String getMessage() {
        return templateMessage;
    }

    @Override
    TemplateRenderException at(SourcePosition where) {
        return position() != null ? this : new TemplateRaisedException(templateMessage, where);
    }
}
