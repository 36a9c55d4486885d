package dev.cascade.server.loadtest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SseLineTest {

    @Test
    void dataLinesCarryTheirJson() {
        assertEquals(new SseLine.Data("{\"a\":1}"), SseLine.parse("data: {\"a\":1}"));
        assertEquals(new SseLine.Data("{\"a\":1}"), SseLine.parse("data:{\"a\":1}"), "the space is optional");
        assertEquals(new SseLine.Data(" x"), SseLine.parse("data:  x"), "only one space is dropped");
        assertEquals(new SseLine.Data(""), SseLine.parse("data"));
    }

    @Test
    void doneEndsTheStream() {
        assertInstanceOf(SseLine.Done.class, SseLine.parse("data: [DONE]"));
        assertInstanceOf(SseLine.Done.class, SseLine.parse("data:[DONE]"));
    }

    @Test
    void commentsBlanksAndOtherFieldsAreSkipped() {
        assertInstanceOf(SseLine.Skip.class, SseLine.parse(": keep-alive"));
        assertInstanceOf(SseLine.Skip.class, SseLine.parse(":"));
        assertInstanceOf(SseLine.Skip.class, SseLine.parse(""));
        assertInstanceOf(SseLine.Skip.class, SseLine.parse("event: message"));
        assertInstanceOf(SseLine.Skip.class, SseLine.parse("id: 7"));
        assertInstanceOf(SseLine.Skip.class, SseLine.parse("retry: 1000"));
    }

    @Test
    void errorLinesAreErrors() {
        assertEquals(new SseLine.Error("{\"message\":\"bad\"}"), SseLine.parse("error: {\"message\":\"bad\"}"));
    }
}
