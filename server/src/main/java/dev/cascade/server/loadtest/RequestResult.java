package dev.cascade.server.loadtest;

/**
 * The timing of one streamed request. Times are {@link System#nanoTime()} readings.
 *
 * @param start      just before the request was sent
 * @param firstToken when the first chunk with text arrived, or -1 if none did
 * @param end        when the stream ended (or failed)
 * @param tokens     generated tokens: the server's usage count when it sent one, else the chunks with text
 * @param gapsMs     milliseconds between consecutive chunks with text
 * @param error      why the request failed, one line, or null when it succeeded
 */
public record RequestResult(long start, long firstToken, long end, int tokens, double[] gapsMs, String error) {

    static RequestResult failed(long start, long end, String error) {
        return new RequestResult(start, -1, end, 0, new double[0], error);
    }

    public boolean ok() {
        return error == null;
    }

    public boolean hasFirstToken() {
        return firstToken >= 0;
    }

    /** Time to first token; NaN when no text arrived. */
    public double ttftMs() {
        return hasFirstToken() ? (firstToken - start) / 1e6 : Double.NaN;
    }

    public double e2eMs() {
        return (end - start) / 1e6;
    }

    /** Time per output token after the first, (e2e - ttft) / (tokens - 1); NaN with fewer than two tokens. */
    public double tpotMs() {
        return hasFirstToken() && tokens > 1 ? (end - firstToken) / 1e6 / (tokens - 1) : Double.NaN;
    }
}
