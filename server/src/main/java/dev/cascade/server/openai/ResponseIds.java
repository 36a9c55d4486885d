package dev.cascade.server.openai;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Response ids in OpenAI's shapes, cmpl-… and chatcmpl-… with 32 random hex digits. They only need to be
 * unique, not unguessable, so a fast non-cryptographic random does.
 */
public final class ResponseIds {
    static final ResponseIds INSTANCE = new ResponseIds();

    private ResponseIds() {
    }

    /** A /v1/completions id, cmpl-…. */
    public String completion() {
        return "cmpl-" + randomHex();
    }

    /** A /v1/chat/completions id, chatcmpl-…. */
    public String chat() {
        return "chatcmpl-" + randomHex();
    }

    private static String randomHex() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
    }
}
