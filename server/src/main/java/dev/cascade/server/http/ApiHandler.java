package dev.cascade.server.http;

import dev.cascade.server.openai.ApiException;
import dev.cascade.server.openai.ChatRequest;
import dev.cascade.server.openai.CompletionRequest;
import dev.cascade.server.openai.ModelEntry;
import dev.cascade.server.openai.OpenAiRequests;
import dev.cascade.server.openai.OpenAiResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes one HTTP request to its endpoint; every failure becomes an OpenAI error body, never a dropped connection. */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

    private static final Object ANSWERED = new Object();

    private final ApiServer server;
    /** Requests that came while an earlier one on this connection was being answered. */
    private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
    private boolean answering;

    ApiHandler(ApiServer server) {
        this.server = server;
    }

    /**
     * HTTP/1.1 answers a connection's requests in the order they came, but generations finish in
     * any order: a request that arrives while an earlier one is being answered (pipelining) waits
     * here, and the connection reads no more meanwhile.
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answering) {
            pipelined.add(request.retain());
            ctx.channel().config().setAutoRead(false);
            return;
        }
        answering = true;
        handle(ctx, request);
    }

    /** Says that the response to a keep-alive connection's current request is written: the next may start. */
    static void answered(Channel channel) {
        channel.pipeline().fireUserEventTriggered(ANSWERED);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event != ANSWERED) {
            super.userEventTriggered(ctx, event);
            return;
        }
        FullHttpRequest next = pipelined.poll();
        if (next == null) {
            answering = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        // as a task of its own: a long run of pipelined requests answered at once must not nest
        ctx.executor().execute(() -> {
            try {
                handle(ctx, next);
            } finally {
                next.release();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (FullHttpRequest r = pipelined.poll(); r != null; r = pipelined.poll()) {
            r.release();
        }
        super.channelInactive(ctx);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        long arrival = System.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        try {
            if (request instanceof OversizedRequest oversized) {
                throw ApiException.tooLarge(oversized.limit());
            }
            if (request.decoderResult().isFailure()) {
                keepAlive = false;
                throw ApiException.badRequest(null, "Malformed HTTP request: " + request.decoderResult().cause().getMessage());
            }
            String path;
            try {
                path = new QueryStringDecoder(request.uri()).path();
            } catch (IllegalArgumentException e) {
                // a malformed %-escape is the client's mistake, not a server failure
                throw ApiException.badRequest(null, "Malformed request path: " + e.getMessage());
            }
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            route(ctx, request, path, keepAlive, arrival);
        } catch (ApiException e) {
            Responses.error(ctx.channel(), e, keepAlive);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request " + request.method() + " " + request.uri() + " failed", e);
            Responses.error(ctx.channel(), ApiException.internal("Internal error: " + e.getClass().getSimpleName()), false);
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String path, boolean keepAlive, long arrival) {
        HttpMethod method = request.method();
        switch (path) {
            case "/health" -> {
                expect(method, HttpMethod.GET, path);
                if (server.draining()) {
                    throw ApiException.unavailable("The server is shutting down.");
                }
                Responses.json(ctx.channel(), 200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), keepAlive);
            }
            case "/metrics" -> {
                expect(method, HttpMethod.GET, path);
                Responses.send(ctx.channel(), 200, server.metrics().contentType(), server.metrics().scrape(), keepAlive, null);
            }
            case "/v1/models" -> {
                expect(method, HttpMethod.GET, path);
                authorize(request);
                List<ModelEntry> all = entries(server.models().values());
                server.cascades().values().forEach(c -> all.add(entry(c)));
                Responses.json(ctx.channel(), 200, OpenAiResponses.models(all), keepAlive);
            }
            case "/v1/completions" -> {
                expect(method, HttpMethod.POST, path);
                authorize(request);
                acceptingWork();
                CompletionRequest r = OpenAiRequests.parseCompletion(body(request), server.limits());
                ServedCascade c = server.cascades().get(r.model());
                if (c != null) {
                    if (r.prompts().size() != 1) {
                        throw ApiException.badRequest("prompt", "A cascade takes one prompt per request.");
                    }
                    new CascadeCall(c, ctx.channel(), false, r.generation(), keepAlive, server.metrics())
                            .start(m -> m.tokenizer().encode(r.prompts().getFirst(), true), r.prompts().getFirst(), "prompt", null);
                    return;
                }
                ServedModel m = model(r.model());
                List<int[]> prompts = new ArrayList<>();
                for (String p : r.prompts()) {
                    prompts.add(m.tokenizer().encode(p, true));
                }
                new GenerationCall(m, ctx.channel(), false, r.generation(), keepAlive, server.metrics(), arrival)
                        .start(prompts, "prompt");
            }
            case "/v1/chat/completions" -> {
                expect(method, HttpMethod.POST, path);
                authorize(request);
                acceptingWork();
                ChatRequest r = OpenAiRequests.parseChat(body(request), server.limits());
                ServedCascade c = server.cascades().get(r.model());
                if (c != null) {
                    new CascadeCall(c, ctx.channel(), true, r.generation(), keepAlive, server.metrics())
                            .start(m -> chatPrompt(m, r), userText(r), "messages", r.messages());
                    return;
                }
                ServedModel m = model(r.model());
                if (m.chat() == null) {
                    throw ApiException.badRequest("messages", "The model `" + m.name()
                            + "` has no chat template; use /v1/completions.");
                }
                int[] prompt;
                try {
                    prompt = m.chat().encode(r.messages(), true, Map.of());
                } catch (RuntimeException e) {
                    throw ApiException.badRequest("messages", "The chat template rejected these messages: " + e.getMessage());
                }
                new GenerationCall(m, ctx.channel(), true, r.generation(), keepAlive, server.metrics(), arrival)
                        .start(List.of(prompt), "messages");
            }
            default -> {
                if (path.startsWith("/v1/models/")) {
                    expect(method, HttpMethod.GET, path);
                    authorize(request);
                    // path() has already decoded the %-escapes: decoding again would turn %25 into an escape of its own
                    String name = path.substring("/v1/models/".length());
                    ServedCascade c = server.cascades().get(name);
                    ModelEntry e = c != null ? entry(c) : entries(List.of(model(name))).getFirst();
                    Responses.json(ctx.channel(), 200, OpenAiResponses.model(e), keepAlive);
                    return;
                }
                throw ApiException.notFound("Unknown path " + path + ". This server answers /v1/completions, "
                        + "/v1/chat/completions, /v1/models, /health and /metrics.", null);
            }
        }
    }

    /** What routing rules read of a conversation: its messages' text, one per line. */
    private static String userText(ChatRequest r) {
        StringBuilder s = new StringBuilder();
        for (var m : r.messages()) {
            if (m.content() instanceof String text) {
                s.append(text).append('\n');
            }
        }
        return s.toString();
    }

    private static int[] chatPrompt(ServedModel m, ChatRequest r) {
        if (m.chat() == null) {
            throw ApiException.badRequest("messages", "The model `" + m.name() + "` has no chat template; use /v1/completions.");
        }
        try {
            return m.chat().encode(r.messages(), true, Map.of());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("messages", "The chat template rejected these messages: " + e.getMessage());
        }
    }

    private void acceptingWork() {
        if (server.draining()) {
            throw ApiException.unavailable("The server is shutting down.");
        }
    }

    private static void expect(HttpMethod method, HttpMethod allowed, String path) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    method + " is not allowed on " + path + "; use " + allowed + ".");
        }
    }

    private void authorize(FullHttpRequest request) {
        if (server.apiKeys().isEmpty()) {
            return;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Missing API key: send it as 'Authorization: Bearer <key>'.");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (String key : server.apiKeys()) {
            if (MessageDigest.isEqual(given, key.getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw ApiException.unauthorized("Incorrect API key provided.");
    }

    private ServedModel model(String name) {
        ServedModel m = server.models().get(name);
        if (m == null) {
            throw ApiException.modelNotFound(name);
        }
        return m;
    }

    private static byte[] body(FullHttpRequest request) {
        return ByteBufUtil.getBytes(request.content());
    }

    private static List<ModelEntry> entries(Iterable<ServedModel> models) {
        List<ModelEntry> out = new ArrayList<>();
        for (ServedModel m : models) {
            out.add(new ModelEntry(m.name(), m.created(), "cascade", m.contextLength()));
        }
        return out;
    }

    private static ModelEntry entry(ServedCascade c) {
        return new ModelEntry(c.name(), c.created(), "cascade", c.contextLength());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection error", cause);
        ctx.close();
    }
}
