package dev.cascade.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A cascade's learned router in the config: {@code type: learned} and {@code start_at} (the stage,
 * by its model, that a prompt likely to fail at the first stage goes straight to) are written by
 * hand; {@code cascade calibrate} trains the rest and writes it back.
 *
 * @param threshold    route when the predicted probability that the first stage fails is above it
 * @param buckets      how many buckets the prompt's n-grams are hashed into
 * @param weights      the non-zero weights, by bucket
 * @param lengthWeight the weight of log(1 + prompt characters)
 */
public record LearnedRouterSettings(String type, @JsonProperty("start_at") String startAt, Double threshold, Integer buckets,
                                    Map<Integer, Double> weights, @JsonProperty("length_weight") Double lengthWeight,
                                    Double bias) {

    /** Configured but not trained yet: what a user writes before running calibrate. */
    public static LearnedRouterSettings untrained(String startAt) {
        return new LearnedRouterSettings("learned", startAt, null, null, null, null, null);
    }

    public boolean trained() {
        return threshold != null && weights != null && bias != null;
    }
}
