package dev.cascade.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.engine.cascade.EvalStage;
import dev.cascade.engine.generate.Completion;
import dev.cascade.engine.generate.FinishReason;
import dev.cascade.engine.generate.SequenceListener;
import dev.cascade.engine.generate.TokenEvent;
import dev.cascade.engine.sampling.SamplingParams;
import dev.cascade.server.config.StageSettings;
import dev.cascade.server.openai.Generation;
import dev.cascade.server.openai.TokenLogprob;
import dev.cascade.server.openai.TopLogprob;
import dev.cascade.weights.chat.ChatMessage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * The remote stage a cascade's config describes ({@code url}, {@code remote_model}, which
     * defaults to the stage's name, and {@code api_key_env}); an unset key variable is an error
     * naming the stage.
     */
    public static RemoteStage of(String cascade, StageSettings stage) {
        String key = stage.apiKeyEnv() == null ? null : System.getenv(stage.apiKeyEnv());
        if (stage.apiKeyEnv() != null && key == null) {
            throw new IllegalArgumentException("cascade " + cascade + ", stage " + stage.model() + ": $" + stage.apiKeyEnv()
                    + " is not set");
        }
        return of(stage.model(), stage.url(), stage.remoteModel() == null ? stage.model() : stage.remoteModel(), key);
    }

    /**
     * The stage as eval and calibrate run it: a completion of the prompt text (not chat), greedy
     * (temperature 0), asking for each generated token's log-probability so that the logprob
     * scorers apply; the completion's token count and prompt tokens are the usage the endpoint reports.
     */
    public EvalStage evalStage() {
        return (prompt, maxTokens, listener) -> start(false, prompt, null, List.of(), SamplingParams.GREEDY, maxTokens, 0, null,
                listener);
    }

    /**
     * Sends the request; the listener hears its tokens and its end. Returns what cancels it.
     *
     * @param sampling    temperature, top_p and seed to ask for (a cascade's choices differ in their seeds)
     * @param logprobsOut when not null, filled with the answer's tokens and {@code topLogprobs}
     *                    alternatives each, as the remote reports them, before the listener hears the end
     */
    Runnable start(boolean chat, String prompt, List<ChatMessage> messages, Generation g, SamplingParams sampling, int maxTokens,
                   int topLogprobs, List<TokenLogprob> logprobsOut, SequenceListener listener) {
        return start(chat, prompt, messages, g.stop(), sampling, maxTokens, topLogprobs, logprobsOut, listener);
    }

    private Runnable start(boolean chat, String prompt, List<ChatMessage> messages, List<String> stop, SamplingParams sampling,
                           int maxTokens, int topLogprobs, List<TokenLogprob> logprobsOut, SequenceListener listener) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        if (chat) {
            ArrayNode ms = body.putArray("messages");
            messages.forEach(m -> ms.add(JSON.valueToTree(m.toMap())));
            body.put("logprobs", true);
            if (logprobsOut != null && topLogprobs > 0) {
                body.put("top_logprobs", topLogprobs);
            }
        } else {
            body.put("prompt", prompt);
            body.put("logprobs", logprobsOut == null ? 0 : topLogprobs);
        }
        body.put("max_tokens", maxTokens);
        body.put("temperature", sampling.temperature());
        body.put("top_p", sampling.topP());
        if (sampling.seed() != null) {
            body.put("seed", sampling.seed());
        }
        if (!stop.isEmpty()) {
            body.set("stop", JSON.valueToTree(stop));
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
                    throw new IllegalStateException(name + " (" + base + ") answered HTTP " + response.statusCode() + ": "
                            + response.body());
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
                if (logprobsOut != null) {
                    logprobsOut.addAll(tokenLogprobs(choice, chat));
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

    /** The remote's logprobs in either of OpenAI's shapes: chat's content list, or completions' parallel lists. */
    private static List<TokenLogprob> tokenLogprobs(JsonNode choice, boolean chat) {
        List<TokenLogprob> out = new ArrayList<>();
        if (chat) {
            for (JsonNode t : choice.at("/logprobs/content")) {
                List<TopLogprob> top = new ArrayList<>();
                for (JsonNode a : t.path("top_logprobs")) {
                    top.add(new TopLogprob(a.path("token").asText(), bytes(a), (float) a.path("logprob").asDouble()));
                }
                out.add(new TokenLogprob(t.path("token").asText(), bytes(t), (float) t.path("logprob").asDouble(), top));
            }
            return out;
        }
        JsonNode lp = choice.path("logprobs");
        JsonNode tokens = lp.path("tokens");
        for (int i = 0; i < tokens.size(); i++) {
            List<TopLogprob> top = new ArrayList<>();
            JsonNode alternatives = lp.path("top_logprobs").path(i);
            for (var e : alternatives.properties()) {
                String token = e.getKey();
                top.add(new TopLogprob(token, token.getBytes(StandardCharsets.UTF_8), (float) e.getValue().asDouble()));
            }
            String token = tokens.get(i).asText();
            out.add(new TokenLogprob(token, token.getBytes(StandardCharsets.UTF_8), (float) lp.path("token_logprobs").path(i).asDouble(),
                    top));
        }
        return out;
    }

    /** A chat logprob entry's bytes, or its token's UTF-8 when the remote gave none. */
    private static byte[] bytes(JsonNode entry) {
        JsonNode b = entry.path("bytes");
        if (!b.isArray()) {
            return entry.path("token").asText().getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) b.get(i).asInt();
        }
        return out;
    }
}
