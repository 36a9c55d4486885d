package dev.cascade.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void jsonCarriesMedianMinMax() throws Exception {
        CliRun run = CliRun.of("bench", "--model", "random:tiny:Q4_0", "--prompt-tokens", "16", "--gen-tokens", "8",
                "--batch", "2", "--reps", "3", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode o = new ObjectMapper().readTree(run.out());
        for (String key : new String[] {"prefill_tokens_per_s", "decode_tokens_per_s"}) {
            JsonNode s = o.get(key);
            assertTrue(s.get("min").asDouble() > 0, key);
            assertTrue(s.get("min").asDouble() <= s.get("median").asDouble(), key);
            assertTrue(s.get("median").asDouble() <= s.get("max").asDouble(), key);
        }
        assertEquals("Q4_0", o.get("dtypes").asText());
        assertEquals(2, o.get("batch").asInt());
        assertTrue(o.get("memory_bandwidth_gb_per_s").asDouble() > 0);
    }

    @Test
    void tableNamesBothTests() {
        CliRun run = CliRun.of("bench", "--model", "random:tiny", "--prompt-tokens", "8", "--gen-tokens", "4", "--reps", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("pp8"), run.out());
        assertTrue(run.out().contains("tg4"), run.out());
        assertTrue(run.out().contains("GB/s"), run.out());
    }

    @Test
    void unknownRandomShapeIsAClearError() {
        CliRun run = CliRun.of("bench", "--model", "random:gpt-5");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("unknown random model"), run.err());
    }
}
