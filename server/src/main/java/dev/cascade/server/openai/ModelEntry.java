package dev.cascade.server.openai;

/**
 * A served model as /v1/models lists it.
 *
 * @param created     seconds since the epoch, e.g. when the server loaded it
 * @param ownedBy     null writes "cascade"
 * @param maxModelLen the context length, written as vLLM's max_model_len when not null
 */
public record ModelEntry(String id, long created, String ownedBy, Integer maxModelLen) {
}
