package dev.cascade.server.config;

import java.util.List;

/**
 * A cascade in the config file.
 *
 * @param fallback {@code last} (default) or {@code best}: the answer when every stage rejects
 */
public record CascadeSettings(String name, List<StageSettings> stages, String fallback) {
}
