package dev.cascade.server.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamChunkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StreamChunk parse(String json) throws Exception {
        return StreamChunk.parse(JSON.readTree(json));
    }

    @Test
    void completionsTextIsTheDelta() throws Exception {
        assertEquals(new StreamChunk(" the", -1, false, null),
                parse("{\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" the\",\"finish_reason\":null}]}"));
    }

    @Test
    void chatContentIsTheDelta() throws Exception {
        assertEquals(new StreamChunk("Hi", -1, false, null),
                parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}"));
    }

    @Test
    void aRoleOnlyChunkHasNoText() throws Exception {
        assertEquals(new StreamChunk("", -1, false, null),
                parse("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}"));
        assertEquals(new StreamChunk("", -1, false, null),
                parse("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}"));
    }

    @Test
    void reasoningIsGeneratedText() throws Exception {
        assertEquals("hmm", parse("{\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}").text());
    }

    @Test
    void finishReasonFinishes() throws Exception {
        assertEquals(new StreamChunk(".", -1, true, null),
                parse("{\"choices\":[{\"index\":0,\"text\":\".\",\"finish_reason\":\"length\"}]}"));
    }

    @Test
    void usageCarriesTheTokenCount() throws Exception {
        assertEquals(new StreamChunk("", 64, false, null),
                parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":27,\"completion_tokens\":64,\"total_tokens\":91}}"));
        assertEquals(-1, parse("{\"choices\":[],\"usage\":null}").completionTokens());
    }

    @Test
    void errorsInAllTheirShapes() throws Exception {
        assertEquals("overloaded", parse("{\"error\":{\"message\":\"overloaded\",\"code\":503}}").error());
        assertEquals("overloaded", parse("{\"error\":\"overloaded\"}").error());
        assertEquals("too long", parse("{\"object\":\"error\",\"message\":\"too long\",\"code\":400}").error());
    }
}
