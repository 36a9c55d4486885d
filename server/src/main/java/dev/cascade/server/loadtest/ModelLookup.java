package dev.cascade.server.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;

/** The model a server serves, for when the user names none: the first id of {@code GET /v1/models}. */
public final class ModelLookup {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelLookup() {
    }

    public static String firstModel(ServerConnection server) throws IOException {
        String where = "GET " + server.uri("models");
        HttpResponse<String> response;
        try {
            response = server.http().send(server.request("models").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(where + ": interrupted");
        } catch (IOException e) {
            throw new IOException(HttpFailures.describe(e, server.uri("models"), server.timeout()));
        }
        if (response.statusCode() / 100 != 2) {
            // a server without the listing answers 404; any other status (401, 500) is a problem --model will not fix
            String hint = response.statusCode() == 404 ? "; name the model with --model" : "";
            throw new IOException(where + ": " + HttpFailures.status(response.statusCode(), response.body()) + hint);
        }
        JsonNode ids;
        try {
            ids = JSON.readTree(response.body()).path("data");
        } catch (IOException e) {
            throw new IOException(where + ": not JSON; name the model with --model");
        }
        for (JsonNode m : ids) {
            if (m.path("id").isTextual()) {
                return m.path("id").asText();
            }
        }
        throw new IOException(where + ": the server lists no models; name one with --model");
    }
}
