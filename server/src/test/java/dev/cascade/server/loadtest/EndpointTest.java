package dev.cascade.server.loadtest;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EndpointTest {

    @Test
    void withOrWithoutV1AndSlashes() {
        for (String url : new String[] {"http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1",
                "http://127.0.0.1:8080/v1/", " 127.0.0.1:8080 "}) {
            Endpoint e = Endpoint.parse(url);
            assertEquals("http://127.0.0.1:8080", e.toString(), url);
            assertEquals(URI.create("http://127.0.0.1:8080/v1/chat/completions"), e.api("chat/completions"), url);
        }
    }

    @Test
    void aPrefixPathIsKept() {
        assertEquals(URI.create("https://gpu.example.com/llm/v1/models"),
                Endpoint.parse("https://gpu.example.com/llm/v1").api("models"));
    }

    @Test
    void notHttpIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("ftp://x"));
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("http://a b"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("http://host/v1?x=1"));
    }
}
