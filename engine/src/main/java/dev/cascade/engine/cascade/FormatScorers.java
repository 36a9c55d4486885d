package dev.cascade.engine.cascade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.regex.Pattern;

/** Scorers on the answer's form: 1 when it passes, 0 when it fails. */
public final class FormatScorers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FormatScorers() {
    }

    /** The whole answer (trimmed) parses as one JSON value. */
    public static Scorer json() {
        return new Scorer() {
            @Override
            public String name() {
                return "json";
            }

            @Override
            public boolean gate() {
                return true;
            }

            @Override
            public double score(StageAnswer answer) {
                String text = answer.text().strip();
                if (text.isEmpty()) {
                    return 0;
                }
                try (var parser = JSON.createParser(text)) {
                    JSON.readTree(parser);
                    return parser.nextToken() == null ? 1 : 0; // nothing may follow the value
                } catch (JsonProcessingException e) {
                    return 0;
                } catch (java.io.IOException e) {
                    return 0;
                }
            }
        };
    }

    /**
     * A regular expression found somewhere in the answer: {@code mustMatch} for a required form,
     * or not, for hedging phrases such as "I don't know" that should send the request on.
     */
    public static Scorer regex(String pattern, boolean mustMatch) {
        Pattern p;
        try {
            p = Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("scorer regex '" + pattern + "' is not a valid pattern: " + e.getDescription());
        }
        return new Scorer() {
            @Override
            public String name() {
                return mustMatch ? "regex" : "regex_absent";
            }

            @Override
            public boolean gate() {
                return true;
            }

            @Override
            public double score(StageAnswer answer) {
                return p.matcher(answer.text()).find() == mustMatch ? 1 : 0;
            }
        };
    }
}
