package dev.cascade.server.loadtest;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The base address of an OpenAI-compatible server. People paste it with or without {@code /v1} (that is what
 * OpenAI clients call the base URL), so both lead to the same place.
 *
 * @param base scheme, host, port and any prefix path, without {@code /v1} and without a trailing slash
 */
public record Endpoint(URI base) {

    public static Endpoint parse(String url) {
        String s = url.strip();
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("/v1")) {
            s = s.substring(0, s.length() - 3);
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--url " + url + " is not a URL: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--url " + url + " must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--url " + url + " names no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("--url " + url + " must be a base URL, without ? or #");
        }
        return new Endpoint(uri);
    }

    /** {@code path} under {@code /v1}, e.g. {@code models} or {@code chat/completions}. */
    public URI api(String path) {
        return URI.create(base + "/v1/" + path);
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
