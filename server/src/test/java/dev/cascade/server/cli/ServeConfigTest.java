package dev.cascade.server.cli;

import dev.cascade.server.config.ConfigFile;
import dev.cascade.server.http.ApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve --config}: the file's models, limits and keys take effect; command-line options win. */
class ServeConfigTest {
    @TempDir
    Path dir;

    @Test
    void aConfigFileServesItsModelsBehindItsKey() throws Exception {
        Path f = dir.resolve("serve.yaml");
        Files.writeString(f, """
                port: 0
                threads: 1
                api_keys: [sk-config]
                models:
                  - name: tiny
                    model: demo-tiny
                    kv_memory: 1m
                    max_seqs: 3
                """);
        ServeCommand cmd = new ServeCommand();
        StringWriter log = new StringWriter();
        ApiServer server = cmd.start(ConfigFile.load(f), new PrintWriter(log, true));
        HttpClient client = HttpClient.newHttpClient();
        try {
            String url = "http://127.0.0.1:" + server.port() + "/v1/models";
            assertEquals(401, client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer sk-config")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("\"id\":\"tiny\""), ok.body());
            assertTrue(log.toString().contains("up to 3 sequences"), log.toString());
            assertTrue(log.toString().contains("(API key required)"), log.toString());
        } finally {
            server.close();
            client.shutdownNow();
        }
    }

    @Test
    void aKvBudgetBelowOneContextIsRefusedWithTheMinimum() {
        ServeCommand cmd = new ServeCommand();
        cmd.models = java.util.List.of("demo-tiny");
        cmd.kvMemory = "10k";
        cmd.port = 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cmd.start(null, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("less than one full context of 64 tokens"), e.getMessage());
    }
}
