package dev.cascade.engine.generate;

import dev.cascade.weights.Model;
import dev.cascade.weights.chat.ChatMessage;
import dev.cascade.weights.chat.ChatTemplate;
import dev.cascade.weights.tokenizer.SpecialTokens;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation rendered with the model's chat template, as Hugging Face's
 * {@code apply_chat_template} does: the special tokens' text is available to the template, and the
 * rendered text is encoded without adding BOS/EOS again (the template writes them).
 */
public final class ChatPrompt {
    private final ChatTemplate template;
    private final Tokenizer tokenizer;

    private ChatPrompt(ChatTemplate template, Tokenizer tokenizer) {
        this.template = template;
        this.tokenizer = tokenizer;
    }

    public static ChatPrompt of(Model model) {
        if (model.chatTemplate() == null) {
            throw new IllegalArgumentException("this model has no chat template (tokenizer_config.json chat_template"
                    + " or GGUF tokenizer.chat_template); use a plain prompt");
        }
        if (model.tokenizer() == null) {
            throw new IllegalArgumentException("this model has no tokenizer");
        }
        return new ChatPrompt(ChatTemplate.parse(model.chatTemplate()), model.tokenizer());
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        Map<String, Object> vars = new HashMap<>();
        SpecialTokens s = tokenizer.specialTokens();
        putToken(vars, "bos_token", s.bos());
        putToken(vars, "eos_token", s.firstEos());
        putToken(vars, "unk_token", s.unk());
        putToken(vars, "pad_token", s.pad());
        vars.putAll(extra);
        return template.render(messages, addGenerationPrompt, vars);
    }

    public int[] encode(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        return tokenizer.encode(render(messages, addGenerationPrompt, extra), false);
    }

    private void putToken(Map<String, Object> vars, String name, int id) {
        String text = id >= 0 ? tokenizer.tokenText(id) : null;
        if (text != null) {
            vars.put(name, text);
        }
    }
}
