package dev.cascade.server.cli;

import dev.cascade.server.loadtest.LoadRun;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A load test's progress on standard error, rewritten in place every second, so long runs show they are alive. */
final class ProgressLine {
    private final PrintWriter err;
    private final LoadRun run;
    private final int requests;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private int lastLength;

    private ProgressLine(PrintWriter err, LoadRun run, int requests) {
        this.err = err;
        this.run = run;
        this.requests = requests;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadtest-progress");
            t.setDaemon(true);
            return t;
        });
    }

    static ProgressLine start(PrintWriter err, LoadRun run, int requests) {
        ProgressLine p = new ProgressLine(err, run, requests);
        p.ticker.scheduleAtFixedRate(p::print, 1, 1, TimeUnit.SECONDS);
        return p;
    }

    private synchronized void print() {
        LoadRun.Progress p = run.progress();
        double seconds = (System.nanoTime() - start) / 1e9;
        String line = String.format("loadtest: %d/%d done, %d running, %d failed, %.1f tokens/s streamed",
                p.finished(), requests, p.inFlight(), p.failed(), p.tokensSoFar() / seconds);
        // pad over the tail of a longer previous line
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    /** Prints the final count and ends the line. */
    void stop() {
        ticker.shutdownNow();
        print();
        err.println();
        err.flush();
    }
}
