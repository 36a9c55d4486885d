package dev.cascade.server.http;

import dev.cascade.server.openai.Limits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The OpenAI-compatible HTTP server: Netty's HTTP/1.1 codec, whole request bodies up to a limit,
 * and {@link ApiHandler} for the endpoints. Generation happens on each model's own loop thread,
 * never on Netty's event loops.
 */
public final class ApiServer implements AutoCloseable {

    /**
     * @param maxBodyBytes a larger request body is refused with 413
     * @param apiKeys      accepted bearer keys for /v1/*; empty means no authentication
     */
    public record Options(String host, int port, int maxBodyBytes, Set<String> apiKeys, Limits limits) {
        public Options {
            apiKeys = Set.copyOf(apiKeys);
        }
    }

    private final Map<String, ServedModel> models;
    private final Map<String, ServedCascade> cascades;
    private final Options options;
    private final ServerMetrics metrics;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public ApiServer(List<ServedModel> served, Options options) {
        this(served, List.of(), options);
    }

    public ApiServer(List<ServedModel> served, List<ServedCascade> servedCascades, Options options) {
        Map<String, ServedModel> byName = new LinkedHashMap<>();
        for (ServedModel m : served) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("two models are named " + m.name());
            }
        }
        Map<String, ServedCascade> cascadesByName = new LinkedHashMap<>();
        for (ServedCascade c : servedCascades) {
            if (byName.containsKey(c.name()) || cascadesByName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("the name " + c.name() + " is used twice");
            }
        }
        this.models = Collections.unmodifiableMap(byName);
        this.cascades = Collections.unmodifiableMap(cascadesByName);
        this.options = options;
        this.metrics = new ServerMetrics(models::values, cascades::values);
    }

    /** Binds and starts serving; returns the port (useful with port 0). */
    public int start() throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new BodyLimit(options.maxBodyBytes()), new ApiHandler(ApiServer.this));
                    }
                });
        try {
            serverChannel = b.bind(options.host(), options.port()).sync().channel();
        } catch (RuntimeException e) {
            close();
            throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Client connections open now (the group forgets closed ones). */
    int connections() {
        return channels.size();
    }

    Map<String, ServedModel> models() {
        return models;
    }

    Map<String, ServedCascade> cascades() {
        return cascades;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    Limits limits() {
        return options.limits();
    }

    Set<String> apiKeys() {
        return options.apiKeys();
    }

    boolean draining() {
        return draining;
    }

    /**
     * Graceful stop (SIGTERM): refuse new work with 503 and stop accepting connections, let running
     * requests finish for up to {@code grace}, abort the rest, then close everything.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        draining = true;
        if (serverChannel != null) {
            serverChannel.close().sync();
        }
        List<Thread> drains = new ArrayList<>();
        for (ServedModel m : models.values()) {
            drains.add(Thread.ofPlatform().start(() -> {
                try {
                    m.loop().drain(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : drains) {
            t.join();
        }
        Thread.sleep(100); // let the last chunks reach their sockets
        close();
    }

    @Override
    public void close() {
        draining = true;
        if (closed.getAndSet(true)) {
            return;
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        for (ServedModel m : models.values()) {
            m.close();
        }
    }

    /**
     * The aggregator, answering an oversized body with OpenAI's error shape instead of Netty's bare
     * 413. ApiHandler writes the 413, in turn after any request before it on the connection; the
     * aggregator drops the rest of the body. Closing at once instead would reset the connection
     * while the client still sends, often before it reads the 413.
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final int limit;

        BodyLimit(int limit) {
            super(limit);
            this.limit = limit;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            if (oversized instanceof HttpRequest request) {
                ctx.fireChannelRead(new OversizedRequest(request, limit));
            } else {
                ctx.close();
            }
        }
    }
}
