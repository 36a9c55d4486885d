package dev.cascade.server.openai;

/**
 * A failed API call as OpenAI reports it: an HTTP status plus the {@code error} object's type, param and
 * code. Thrown by request parsing and meant to be thrown by the server too; {@link OpenAiResponses#error}
 * writes the body. The message goes to the client verbatim, so it never carries a stack trace or internals.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null);
    }

    private ApiException(int status, String type, String param, String code, String message,
                         Integer retryAfterSeconds) {
        // no stack trace: these are answers to clients, not bugs, and some are thrown per request under load
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "authentication_error", null, "invalid_api_key", message);
    }

    /** An unknown path or resource; for a model name use {@link #modelNotFound}. */
    public static ApiException notFound(String message, String param) {
        return new ApiException(404, "not_found_error", param, null, message);
    }

    /** What OpenAI answers for a model it does not serve: 404, but an invalid_request_error on "model". */
    public static ApiException modelNotFound(String model) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model `" + model + "` does not exist.");
    }

    public static ApiException tooLarge(long limitBytes) {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "The request body is larger than the limit of " + limitBytes + " bytes.");
    }

    /**
     * The server is full: 429 so that clients back off and retry (the OpenAI SDKs retry 429 and honour
     * Retry-After, which the server should send from {@link #retryAfterSeconds()}). The type is
     * rate_limit_error with OpenAI's code rate_limit_exceeded; OpenAI's own 429 types vary and no
     * client we know of branches on them.
     */
    public static ApiException overloaded(int retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", null, "rate_limit_exceeded",
                "The server is overloaded; retry after " + retryAfterSeconds + " seconds.", retryAfterSeconds);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "server_error", null, "service_unavailable", message);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "server_error", null, null, message);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The request field at fault, or null. */
    public String param() {
        return param;
    }

    /** A machine-readable code, or null. */
    public String code() {
        return code;
    }

    /** Seconds for a Retry-After header, or null when retrying later is not the remedy. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
