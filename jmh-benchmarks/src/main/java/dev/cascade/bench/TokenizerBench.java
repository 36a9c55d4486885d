package dev.cascade.bench;

import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tokenizer encode throughput on English prose, one thread. The {@code bytes} counter gives UTF-8
 * bytes encoded per second (divide by 1e6 for MB/s).
 *
 * <pre>java -jar jmh-benchmarks/target/benchmarks.jar TokenizerBench -p tokenizer=llama2-json</pre>
 *
 * The tokenizers and the text come from ../shared (override with -Dcascade.shared=DIR).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:CompileCommand=quiet", "-XX:CompileCommand=inline,dev.cascade.kernels.cpu.VectorMath::exp"})
@State(Scope.Thread)
public class TokenizerBench {

    /** Name of a tokenizer under ../shared; 32k-vocabulary ones first. */
    @Param({"llama2-json", "llama2-gguf", "gpt2-json", "llama3-json"})
    public String tokenizer;

    private Tokenizer tok;
    private String text;
    private int textBytes;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        Path shared = Path.of(System.getProperty("cascade.shared", "../shared"));
        Path source = switch (tokenizer) {
            case "llama2-json" -> shared.resolve("tokenizers/TinyLlama-TinyLlama-1.1B-Chat-v1.0");
            case "llama2-gguf" -> shared.resolve("tokenizer-vectors/ggml-vocab-llama-spm.gguf");
            case "gpt2-json" -> shared.resolve("tokenizers/openai-community-gpt2");
            case "llama3-json" -> shared.resolve("tokenizers/npm-lenml-llama3");
            default -> throw new IllegalArgumentException("unknown tokenizer " + tokenizer);
        };
        tok = ModelLoader.loadTokenizer(source, null);
        text = EnglishText.load(shared);
        textBytes = text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Benchmark
    public int[] encode(Bytes counter) {
        counter.bytes += textBytes;
        return tok.encode(text, false);
    }

    /** English prose for the benchmark: the design notes and data READMEs in ../shared. */
    static final class EnglishText {
        private EnglishText() {
        }

        static String load(Path shared) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (String name : new String[] {"DESIGN.md", "models/stories260K/README.md", "tokenizers/README.md",
                    "tokenizer-vectors/README.md", "device/README.md"}) {
                Path p = shared.resolve(name);
                if (Files.exists(p)) {
                    sb.append(Files.readString(p, StandardCharsets.UTF_8)).append('\n');
                }
            }
            if (sb.isEmpty()) {
                throw new IOException("no English text found under " + shared + " (set -Dcascade.shared)");
            }
            return sb.toString();
        }
    }
}
