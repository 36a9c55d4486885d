package dev.cascade.server.openai;

import dev.cascade.weights.chat.ChatMessage;

import java.util.List;

/** A parsed /v1/chat/completions body, messages ready for the model's chat template. */
public record ChatRequest(String model, List<ChatMessage> messages, Generation generation) {

    public ChatRequest {
        messages = List.copyOf(messages);
    }
}
