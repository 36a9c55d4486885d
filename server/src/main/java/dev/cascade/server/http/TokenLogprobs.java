package dev.cascade.server.http;

import dev.cascade.engine.sampling.Sample;
import dev.cascade.server.openai.TokenLogprob;
import dev.cascade.server.openai.TopLogprob;
import dev.cascade.weights.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A generated token's log-probability entry, as OpenAI's logprobs report it, from the sample it was drawn with. */
final class TokenLogprobs {
    private TokenLogprobs() {
    }

    /**
     * @param previous the token before it (its bytes can depend on it), the prompt's last for the first
     * @param top      how many alternatives to report, at most what the sample holds
     */
    static TokenLogprob of(Tokenizer tokenizer, int previous, int token, Sample sample, int top) {
        List<TopLogprob> alternatives = new ArrayList<>(sample.topCount);
        for (int i = 0; i < Math.min(sample.topCount, top); i++) {
            byte[] b = tokenizer.tokenBytes(previous, sample.topTokens[i]);
            alternatives.add(new TopLogprob(new String(b, StandardCharsets.UTF_8), b, sample.topLogprobs[i]));
        }
        byte[] bytes = tokenizer.tokenBytes(previous, token);
        return new TokenLogprob(new String(bytes, StandardCharsets.UTF_8), bytes, sample.logprob, alternatives);
    }
}
