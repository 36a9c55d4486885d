package dev.cascade.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** Server-Sent Events over a chunked HTTP response: {@code data: <json>} per event, flushed at once. */
final class Sse {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private Sse() {
    }

    static void begin(Channel channel) {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(head);
    }

    static void event(Channel channel, byte[] json) {
        ByteBuf buf = Unpooled.buffer(DATA.length + json.length + END.length);
        buf.writeBytes(DATA).writeBytes(json).writeBytes(END);
        channel.writeAndFlush(new DefaultHttpContent(buf));
    }

    /** A comment line: keeps a quiet stream alive through proxies; clients ignore it. */
    static void comment(Channel channel, String text) {
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(": " + text + "\n\n", StandardCharsets.UTF_8)));
    }

    static void end(Channel channel, boolean keepAlive) {
        var f = channel.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(DONE)));
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        } else {
            ApiHandler.answered(channel);
        }
    }
}
