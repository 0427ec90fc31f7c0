package dev.tally.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server on Netty: keep-alive, {@code Expect: 100-continue}, optional TLS, bodies up to a limit.
 * Each complete request is handed to {@code handler} on {@code executor} (handlers block on the database,
 * event loops must not). A connection reads its next request only after the previous reply is written, so
 * pipelined requests are answered in order.
 */
public final class HttpListener {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);
    private static final int MAX_INITIAL_LINE = 8192;
    private static final int MAX_HEADER_BYTES = 16384;
    private static final int IDLE_SECONDS = 120;

    /** Certificate chain and private key (PEM, PKCS#8); with {@code clientCa}, clients must present a certificate it signed. */
    public record Tls(Path certChain, Path privateKey, Optional<Path> clientCa) {
    }

    private final String host;
    private final int port;
    private final int maxBodyBytes;
    private final Optional<Tls> tls;
    private final Executor executor;
    private final Function<HttpCall, HttpReply> handler;
    private final Function<String, HttpReply> refusal;
    private final AtomicInteger inFlight = new AtomicInteger();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /**
     * @param refusal the reply to a request refused before it reached the handler (malformed, or too large),
     *                given a short reason
     */
    public HttpListener(String host, int port, int maxBodyBytes, Optional<Tls> tls, Executor executor,
                        Function<HttpCall, HttpReply> handler, Function<String, HttpReply> refusal) {
        this.host = host;
        this.port = port;
        this.maxBodyBytes = maxBodyBytes;
        this.tls = tls;
        this.executor = executor;
        this.handler = handler;
        this.refusal = refusal;
    }

    public synchronized void start() throws IOException {
        SslContext ssl = tls.isPresent() ? sslContext(tls.get()) : null;
        boss = new NioEventLoopGroup(1, daemonThreads("tally-http-accept"));
        workers = new NioEventLoopGroup(2, daemonThreads("tally-http-io"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
                        }
                        channel.pipeline()
                                .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 65536))
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new Aggregator(maxBodyBytes))
                                .addLast(new CallHandler());
                    }
                });
        try {
            serverChannel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + host + ":" + port, e);
        } catch (Exception e) {
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen for HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, lets requests in flight finish within {@code graceMillis}, then closes every connection. */
    public synchronized void stop(long graceMillis) throws InterruptedException {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().sync();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        serverChannel = null;
    }

    private static SslContext sslContext(Tls tls) throws IOException {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(tls.certChain().toFile(), tls.privateKey().toFile());
            if (tls.clientCa().isPresent()) {
                builder.trustManager(tls.clientCa().get().toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use the TLS certificate " + tls.certChain() + " and key " + tls.privateKey()
                    + " for HTTPS: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void reply(ChannelHandlerContext ctx, boolean keepAlive, HttpReply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach((name, value) -> response.headers().set(name, value));
        HttpUtil.setContentLength(response, reply.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response).addListener(keepAlive ? (ChannelFutureListener) future -> {
            future.channel().config().setAutoRead(true);
        } : ChannelFutureListener.CLOSE);
    }

    /**
     * Bodies over the limit get the door's own refusal (413), not Netty's plain-text one. The connection
     * stays open while the aggregator discards the rest of the body, so a client still sending it reads
     * the reply instead of a reset.
     */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            HttpReply refused = refusal.apply("the request body is larger than " + maxBodyBytes + " bytes");
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    Unpooled.wrappedBuffer(refused.body()));
            refused.headers().forEach((name, value) -> response.headers().set(name, value));
            HttpUtil.setContentLength(response, refused.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(oversized);
            HttpUtil.setKeepAlive(response, keepAlive);
            ctx.writeAndFlush(response).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        }
    }

    private final class CallHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.decoderResult().isFailure()) {
                reply(ctx, false, refusal.apply("the request is not valid HTTP/1.1"));
                return;
            }
            HttpCall call = toCall(request);
            // One request at a time per connection: the next is read once this one is answered.
            ctx.channel().config().setAutoRead(false);
            inFlight.incrementAndGet();
            try {
                executor.execute(() -> {
                    try {
                        reply(ctx, keepAlive, handler.apply(call));
                    } catch (RuntimeException e) {
                        log.error("The HTTP handler failed", e);
                        reply(ctx, false, HttpReply.text(500, "internal error"));
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.decrementAndGet();
                reply(ctx, false, HttpReply.text(503, "the server is shutting down"));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A client that goes away mid-request is routine; the connection is closed either way.
            log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static HttpCall toCall(FullHttpRequest request) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        String query = question < 0 ? "" : uri.substring(question + 1);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(header.getValue());
        }
        return new HttpCall(request.method().name(), path, query, headers, ByteBufUtil.getBytes(request.content()));
    }
}
