package dev.cascade.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what java.net.http will not do: send a malformed path, hold
 * one connection open across a server's shutdown, pipeline requests. Reads responses one at a
 * time, with a Content-Length or a chunked body.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(60_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request's bytes, to send alone or several at once. */
    static String request(String method, String target, String body) {
        return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Sends one request and reads its response: the status line, headers and body as text. */
    String exchange(String method, String target, String body) {
        write(request(method, target, body));
        return response();
    }

    void write(String requests) {
        try {
            out.write(requests.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response on the connection, a chunked body put back together. */
    String response() {
        try {
            String headers = line("\r\n\r\n");
            String lower = headers.toLowerCase();
            if (lower.contains("transfer-encoding: chunked")) {
                StringBuilder body = new StringBuilder();
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                    line("\r\n");
                }
                line("\r\n");
                return headers + body;
            }
            int length = 0;
            for (String h : lower.split("\r\n")) {
                if (h.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Status code of a response read by {@link #response}. */
    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    /** The body of a response read by {@link #response}. */
    static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private int chunkSize() throws IOException {
        String size = line("\r\n");
        return Integer.parseInt(size.substring(0, size.length() - 2).trim(), 16);
    }

    /** Bytes up to and including {@code end}. */
    private String line(String end) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed mid-response: " + bytes);
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
