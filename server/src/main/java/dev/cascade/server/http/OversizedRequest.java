package dev.cascade.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Stands in for a request whose body was over the limit: its method, path and headers without the
 * body, passed on to {@link ApiHandler} so that its 413 is answered in turn like any request.
 */
final class OversizedRequest extends DefaultFullHttpRequest {
    private final int limit;

    OversizedRequest(HttpRequest oversized, int limit) {
        super(oversized.protocolVersion(), oversized.method(), oversized.uri(), Unpooled.EMPTY_BUFFER,
                oversized.headers().copy(), new DefaultHttpHeaders());
        this.limit = limit;
    }

    int limit() {
        return limit;
    }
}
