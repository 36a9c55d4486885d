package dev.cascade.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.weights.ModelLoader;
import dev.cascade.weights.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cascade tokenize}: text to token ids (and back). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of a text, space separated; one line per input.")
final class TokenizeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M",
            description = "A Hugging Face folder (a tokenizer.json alone is enough), a .gguf file "
                    + "(a vocabulary-only one is enough), a llama2.c .bin with --tokenizer, or demo-tiny/small/base.")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "The tokenizer .bin of a llama2.c model.")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "T", description = "The text to encode.")
        String text;

        @Option(names = "--file", paramLabel = "F", description = "Encode the whole of this UTF-8 file as one text.")
        Path file;

        @Option(names = "--jsonl", paramLabel = "F",
                description = "A file with one JSON string per line; prints one line of ids per string.")
        Path jsonl;

        @Option(names = "--ids", paramLabel = "IDS", description = "Decode these space-separated ids instead.")
        String ids;
    }

    @Option(names = "--no-special", description = "Add no BOS/EOS (Hugging Face's add_special_tokens=False).")
    boolean noSpecial;

    @Option(names = "--decode", description = "Print the text of the ids read back instead of the ids "
            + "(as a JSON string per line with --jsonl).")
    boolean decode;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Tokenizer tok = ModelLoader.loadTokenizer(ModelLoader.pathOf(model), tokenizer);
        if (input.ids != null) {
            out.println(tok.decode(parseIds(input.ids, tok), false));
        } else if (input.jsonl != null) {
            try (BufferedReader r = Files.newBufferedReader(input.jsonl, StandardCharsets.UTF_8)) {
                String line;
                int lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String text = parseJsonString(line, lineNo);
                    int[] ids = tok.encode(text, !noSpecial);
                    out.println(decode ? JSON.writeValueAsString(tok.decode(ids, false)) : join(ids));
                }
            }
        } else {
            String text = input.text != null ? input.text : Files.readString(input.file, StandardCharsets.UTF_8);
            int[] ids = tok.encode(text, !noSpecial);
            out.println(decode ? tok.decode(ids, false) : join(ids));
        }
        out.flush();
        return 0;
    }

    private String parseJsonString(String line, int lineNo) {
        try {
            Object v = JSON.readValue(line, Object.class);
            if (v instanceof String s) {
                return s;
            }
        } catch (JsonProcessingException e) {
            // reported below with the line number
        }
        throw new IllegalArgumentException(input.jsonl + " line " + lineNo + ": expected one JSON string per line");
    }

    private static int[] parseIds(String text, Tokenizer tok) {
        String[] parts = text.trim().split("[\\s,]+");
        int[] ids = new int[text.isBlank() ? 0 : parts.length];
        for (int i = 0; i < ids.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ids: '" + parts[i] + "' is not a token id");
            }
            if (ids[i] < 0 || ids[i] >= tok.vocabSize()) {
                throw new IllegalArgumentException("--ids: " + ids[i] + " is outside the vocabulary (0.." + (tok.vocabSize() - 1) + ")");
            }
        }
        return ids;
    }

    static String join(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 6);
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(ids[i]);
        }
        return sb.toString();
    }
}
