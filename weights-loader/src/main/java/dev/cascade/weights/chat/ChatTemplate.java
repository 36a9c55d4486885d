package dev.cascade.weights.chat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template ({@code chat_template} of tokenizer_config.json), rendered the way
 * transformers' {@code apply_chat_template} renders it: Jinja with trim_blocks and lstrip_blocks,
 * HF's {@code tojson}, {@code raise_exception} and {@code strftime_now}, the loopcontrols
 * extension and the {@code {% generation %}} tag. Parsed once, rendered any number of times;
 * instances are immutable and thread-safe.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.parse(config.chatTemplate());
 * String prompt = t.render(List.of(ChatMessage.user("Hi")), true, Map.of("bos_token", "<s>"));
 * }</pre>
 */
public final class ChatTemplate {
    private final String source;
    private final List<Node> body;
    private final Clock clock;

    private ChatTemplate(String source, List<Node> body, Clock clock) {
        this.source = source;
        this.body = body;
        this.clock = clock;
    }

    /**
     * Parses a template.
     *
     * @throws TemplateSyntaxException with the line and column of the first error
     */
    public static ChatTemplate parse(String source) {
        String normalized = Lexer.normalize(Objects.requireNonNull(source, "source"));
        return new ChatTemplate(normalized, Parser.parse(normalized), Clock.systemDefaultZone());
    }

    /** This template with another clock for {@code strftime_now} (tests pin the date). */
    public ChatTemplate withClock(Clock newClock) {
        return new ChatTemplate(source, body, Objects.requireNonNull(newClock, "clock"));
    }

    /**
     * Renders a conversation.
     *
     * @param extra the other template variables: {@code bos_token}, {@code eos_token} and the other
     *     special tokens, {@code tools} (list of JSON-schema maps), {@code documents},
     *     {@code enable_thinking} and any template-specific ones. Values are Strings, numbers,
     *     Booleans, null, Lists and Maps of those, or ChatMessages.
     * @throws TemplateRaisedException when the template refuses the conversation
     * @throws TemplateRenderException on any other rendering error, with its position
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        Map<String, Object> variables = new LinkedHashMap<>(extra);
        List<Object> asMaps = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            asMaps.add(m.toMap());
        }
        variables.put("messages", asMaps);
        variables.put("add_generation_prompt", addGenerationPrompt);
        return render(variables);
    }

    /** Renders with exactly these top-level variables (messages included), for callers that build them. */
    public String render(Map<String, ?> variables) {
        Scope globals = new Scope(null);
        Globals.install(globals, clock);
        Scope context = globals.child();
        variables.forEach((name, value) -> context.set(name, PyValues.fromJava(value)));
        Renderer renderer = new Renderer(source);
        try {
            return renderer.render(body, context.child());
        } catch (StackOverflowError e) {
            throw new TemplateRenderException("template recursion too deep for the thread's stack");
        }
    }

    /** The template source as parsed (line endings normalized, one trailing newline dropped). */
    public String source() {
        return source;
    }
}
