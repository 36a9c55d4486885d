package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.server.openai.Generation;
import dev.cascade.weights.chat.ChatMessage;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A cascade stage served by another OpenAI-compatible server. It is asked for the completion with
 * log-probabilities, so the same scorers apply; its tokens are reported to the cascade as they come
 * back (all at once: the request is not streamed).
 *
 * @param name   the stage's name in the cascade (and in traces)
 * @param base   the endpoint, e.g. http://host:8000/v1
 * @param model  the model to ask there
 * @param apiKey sent as a bearer key, or null
 */
public record RemoteStage(String name, URI base, String model, String apiKey, HttpClient client) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RemoteStage of(String name, String url, String model, String apiKey) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return new RemoteStage(name, URI.create(u.endsWith("/v1") ? u : u + "/v1"), model, apiKey,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    /** Sends the request; the listener hears its tokens and its end. Returns what cancels it. */
    Runnable start(boolean chat, String prompt, List<ChatMessage> messages, Generation g, int maxTokens, SequenceListener listener) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (chat) {
            ArrayNode ms = body.putArray("messages");
            messages.forEach(m -> ms.add(JSON.valueToTree(m.toMap())));
            body.put("logprobs", true);
        } else {
            body.put("prompt", prompt);
            body.put("logprobs", 0);
        }
        body.put("max_tokens", maxTokens);
        body.put("temperature", g.sampling().temperature());
        body.put("top_p", g.sampling().topP());
        if (g.sampling().seed() != null) {
            body.put("seed", g.sampling().seed());
        }
        if (!g.stop().isEmpty()) {
            body.set("stop", JSON.valueToTree(g.stop()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + (chat ? "/chat/completions" : "/completions")))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<String>> call = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        call.whenComplete((response, error) -> {
            if (call.isCancelled()) {
                listener.onFinish(new Completion("", new int[0], new float[0], FinishReason.ABORT, 0));
                return;
            }
            try {
                if (error != null) {
                    throw new IllegalStateException(name + " (" + base + ") did not answer: " + error.getMessage(), error);
                }
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(name + " answered HTTP " + response.statusCode() + ": " + response.body());
                }
                JsonNode root = JSON.readTree(response.body());
                JsonNode choice = root.at("/choices/0");
                String text = chat ? choice.at("/message/content").asText("") : choice.path("text").asText("");
                JsonNode lps = chat ? choice.at("/logprobs/content") : choice.at("/logprobs/token_logprobs");
                float[] logprobs = new float[lps.size()];
                for (int i = 0; i < logprobs.length; i++) {
                    JsonNode v = chat ? lps.get(i).path("logprob") : lps.get(i);
                    logprobs[i] = (float) v.asDouble();
                    listener.onToken(new TokenEvent(0, 0, "", logprobs[i]), null);
                }
                FinishReason reason = "length".equals(choice.path("finish_reason").asText()) ? FinishReason.LENGTH : FinishReason.STOP;
                int promptTokens = root.at("/usage/prompt_tokens").asInt(0);
                int generated = root.at("/usage/completion_tokens").asInt(logprobs.length);
                listener.onFinish(new Completion(text, new int[generated], logprobs, reason, promptTokens));
            } catch (Exception e) {
                listener.onError(e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e));
            }
        });
        return () -> call.cancel(true);
    }
}
