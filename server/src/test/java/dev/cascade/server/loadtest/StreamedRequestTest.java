package dev.cascade.server.loadtest;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading an event stream; the HTTP around it is tested through the command against a fake server. */
class StreamedRequestTest {

    private static RequestResult read(String stream) throws Exception {
        return StreamedRequest.read(new BufferedReader(new StringReader(stream)), System.nanoTime(), new LongAdder());
    }

    private static String text(String t) {
        return "data: {\"choices\":[{\"index\":0,\"text\":\"" + t + "\",\"finish_reason\":null}]}\n\n";
    }

    @Test
    void usageCountsTheTokens() throws Exception {
        RequestResult r = read(text("a") + ": ping\n\n" + text("b") + text("c")
                + "data: {\"choices\":[],\"usage\":{\"completion_tokens\":5}}\n\ndata: [DONE]\n\n");
        assertTrue(r.ok(), r.error());
        assertEquals(5, r.tokens(), "several tokens may share a chunk");
        assertEquals(2, r.gapsMs().length);
        assertTrue(r.hasFirstToken());
        assertTrue(r.ttftMs() <= r.e2eMs());
    }

    @Test
    void withoutUsageChunksAreCounted() throws Exception {
        RequestResult r = read(text("a") + text("b") + text("c") + "data: [DONE]\n\n");
        assertEquals(3, r.tokens());
    }

    @Test
    void chunksWithoutTextAreNotTokens() throws Exception {
        LongAdder live = new LongAdder();
        RequestResult r = StreamedRequest.read(new BufferedReader(new StringReader(
                "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                        + "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]\n\n")), System.nanoTime(), live);
        assertEquals(1, r.tokens());
        assertEquals(1, live.sum());
        assertTrue(Double.isNaN(r.tpotMs()), "no time per token after the first with only one");
    }

    @Test
    void anErrorChunkFailsTheRequest() throws Exception {
        RequestResult r = read(text("a") + "data: {\"error\":{\"message\":\"engine died\"}}\n\n");
        assertFalse(r.ok());
        assertEquals("error in stream: engine died", r.error());
    }

    @Test
    void anErrorLineFailsTheRequest() throws Exception {
        RequestResult r = read(text("a") + "error: {\"code\":500}\n\n");
        assertEquals("error in stream: {\"code\":500}", r.error());
    }

    @Test
    void aFinishedStreamWithoutDoneIsComplete() throws Exception {
        RequestResult r = read(text("a") + "data: {\"choices\":[{\"text\":\"b\",\"finish_reason\":\"stop\"}]}\n\n");
        assertNull(r.error());
        assertEquals(2, r.tokens());
    }

    @Test
    void aCutStreamFails() throws Exception {
        assertEquals("the stream ended after 2 chunks without finishing", read(text("a") + text("b")).error());
        assertTrue(read("{\"choices\":[]}").error().contains("does the server stream?"));
    }

    @Test
    void aChunkThatIsNotJsonFails() throws Exception {
        assertTrue(read("data: {oops\n\n").error().startsWith("not a JSON chunk"));
    }
}
