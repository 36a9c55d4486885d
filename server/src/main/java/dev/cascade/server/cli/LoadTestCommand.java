package dev.cascade.server.cli;

import dev.cascade.server.loadtest.CompletionRequest;
import dev.cascade.server.loadtest.Endpoint;
import dev.cascade.server.loadtest.LoadReport;
import dev.cascade.server.loadtest.LoadRun;
import dev.cascade.server.loadtest.ModelLookup;
import dev.cascade.server.loadtest.RequestResult;
import dev.cascade.server.loadtest.ServerConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cascade loadtest}: serving figures of any OpenAI-compatible server under concurrent streaming load. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = "Drive an OpenAI-compatible server (cascade, vLLM, llama.cpp's llama-server) with concurrent "
                + "streaming requests and print time to first token, time per output token, latency and throughput.")
final class LoadTestCommand implements Callable<Integer> {
    /** About 27 tokens with Llama-style tokenizers, so a request is mostly decoding. */
    static final String DEFAULT_PROMPT =
            "Once upon a time, in a quiet village at the edge of a great forest, there lived an old clockmaker who had never";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The server's base URL, with or without /v1, e.g. http://127.0.0.1:8080.")
    String url;

    @Option(names = "--model", paramLabel = "M", description = "The model to request (default: the first of GET /v1/models).")
    String model;

    @Option(names = "--concurrency", paramLabel = "C", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 1;

    @Option(names = "--requests", paramLabel = "N", description = "Measured requests in all (default: 4 × --concurrency).")
    Integer requests;

    @Option(names = "--max-tokens", paramLabel = "T", description = "Tokens generated per request (default: ${DEFAULT-VALUE}).")
    int maxTokens = 64;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt of every request (default: a short story opening).")
    String prompt;

    @Option(names = "--prompt-file", paramLabel = "FILE", description = "Prompts one per line, used in turn; blank lines are skipped.")
    Path promptFile;

    @Option(names = "--chat", description = "Use /v1/chat/completions with the prompt as a user message, not /v1/completions.")
    boolean chat;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Sent as Authorization: Bearer KEY (default: $CASCADE_API_KEY, else $OPENAI_API_KEY).")
    String apiKey;

    @Option(names = "--ignore-eos", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Ask for exactly --max-tokens tokens per request, past the end of text (default: on).")
    boolean ignoreEos;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature = 0;

    @Option(names = "--warmup", paramLabel = "N", description = "Requests sent before measuring (default: ${DEFAULT-VALUE}).")
    int warmup = 1;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Limit per request (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds = 300;

    @Option(names = "--json", description = "Print one JSON object instead of the table, and no progress.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int total = requests == null ? 4 * concurrency : requests;
        if (concurrency < 1 || total < 1 || maxTokens < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --concurrency >= 1, --requests >= 1, --max-tokens >= 1, --warmup >= 0");
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout must be a positive number of seconds");
        }
        if (prompt != null && promptFile != null) {
            throw new IllegalArgumentException("give --prompt or --prompt-file, not both");
        }
        Endpoint endpoint = Endpoint.parse(url);
        List<String> prompts = prompts();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration timeout = Duration.ofMillis(Math.round(timeoutSeconds * 1000));
        try (ServerConnection server = new ServerConnection(endpoint, apiKey(), timeout)) {
            String m = model != null ? model : ModelLookup.firstModel(server);
            CompletionRequest request = new CompletionRequest(m, chat, maxTokens, temperature, ignoreEos);
            if (warmup > 0) {
                say(err, "loadtest: %s at %s, %d warm-up request(s)%n", m, endpoint, warmup);
                warmUp(server, request, prompts);
            }
            say(err, "loadtest: %d requests of %d tokens, %d at once%n", total, maxTokens, concurrency);
            LoadRun run = new LoadRun(server, request, prompts);
            ProgressLine progress = json ? null : ProgressLine.start(err, run, total);
            List<RequestResult> results;
            try {
                results = run.run(concurrency, total);
            } finally {
                if (progress != null) {
                    progress.stop();
                }
            }
            LoadReport report = LoadReport.of(results);
            if (report.ok() == 0) {
                throw new IOException("all " + total + " requests failed; the first: " + report.firstError());
            }
            LoadTestOutput output = new LoadTestOutput(endpoint, m, request, concurrency, report);
            if (json) {
                out.println(output.json());
            } else {
                out.print(output.table());
            }
            out.flush();
        }
        return 0;
    }

    /** Warm-up failures stop the run: they are what a wrong URL, key or model name looks like. */
    private void warmUp(ServerConnection server, CompletionRequest request, List<String> prompts) throws Exception {
        for (RequestResult r : new LoadRun(server, request, prompts).run(Math.min(concurrency, warmup), warmup)) {
            if (!r.ok()) {
                throw new IOException("POST " + server.endpoint().api(request.path()) + ": " + r.error());
            }
        }
    }

    private List<String> prompts() throws IOException {
        if (promptFile == null) {
            return List.of(prompt != null ? prompt : DEFAULT_PROMPT);
        }
        List<String> lines = Files.readAllLines(promptFile, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no prompts in " + promptFile);
        }
        return lines;
    }

    private String apiKey() {
        if (apiKey != null) {
            return apiKey;
        }
        String key = System.getenv("CASCADE_API_KEY");
        return key != null && !key.isBlank() ? key : System.getenv("OPENAI_API_KEY");
    }

    private void say(PrintWriter err, String format, Object... args) {
        if (!json) {
            err.printf(format, args);
            err.flush();
        }
    }
}
