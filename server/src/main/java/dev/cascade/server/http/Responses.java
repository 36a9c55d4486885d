package dev.cascade.server.http;

import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.OpenAiResponses;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Whole (non-streaming) responses. */
final class Responses {
    private Responses() {
    }

    static void json(Channel channel, int status, byte[] body, boolean keepAlive) {
        send(channel, status, "application/json", body, keepAlive, null);
    }

    static void error(Channel channel, ApiException e, boolean keepAlive) {
        send(channel, e.status(), "application/json", OpenAiResponses.error(e), keepAlive, e.retryAfterSeconds());
    }

    static void send(Channel channel, int status, String contentType, byte[] body, boolean keepAlive, Integer retryAfter) {
        send(channel, status, contentType, body, keepAlive, retryAfter, java.util.Map.of());
    }

    static void send(Channel channel, int status, String contentType, byte[] body, boolean keepAlive, Integer retryAfter,
                     java.util.Map<String, String> headers) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        headers.forEach((k, v) -> r.headers().set(k, v));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (retryAfter != null) {
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            ApiHandler.answered(channel);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
