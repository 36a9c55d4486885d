package dev.cascade.server.loadtest;

/**
 * One line of a Server-Sent Events stream as an OpenAI-compatible server writes it. Every such server puts a whole
 * JSON chunk on one {@code data:} line, so a line is handled as soon as it arrives instead of waiting for the blank
 * line that closes the event: that is when the token reached the client.
 */
public sealed interface SseLine {

    /** A {@code data:} line with a JSON chunk. */
    record Data(String json) implements SseLine {
    }

    /** {@code data: [DONE]}, the end of an OpenAI stream. */
    record Done() implements SseLine {
    }

    /** An {@code error:} line, which llama.cpp's server sends when a stream fails part-way. */
    record Error(String payload) implements SseLine {
    }

    /** A blank line, a {@code :} comment (keep-alive), or a field nobody here reads ({@code event:}, {@code id:}). */
    record Skip() implements SseLine {
    }

    static SseLine parse(String line) {
        if (line.isEmpty() || line.startsWith(":")) {
            return new Skip();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        // the SSE grammar drops exactly one space after the colon
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        return switch (field) {
            case "data" -> value.strip().equals("[DONE]") ? new Done() : new Data(value);
            case "error" -> new Error(value);
            default -> new Skip();
        };
    }
}
