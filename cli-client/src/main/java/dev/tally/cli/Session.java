package dev.tally.cli;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.AbstractStub;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One CLI invocation's connection: the channel, the token and the per-call deadline. */
final class Session implements AutoCloseable {

    private final TallyCli options;
    private final ManagedChannel channel;
    /**
     * The channel's own I/O thread, stopped on close. With grpc's shared one still waiting in epoll, the JVM's
     * exit would wait 300 ms for it (JDK 17 waits for threads in native code), a third of a CLI call.
     */
    private final NioEventLoopGroup eventLoop = new NioEventLoopGroup(1);
    /** The token once read; null before the first call. */
    private Optional<String> token;

    /** Where the token is looked for when none is named. */
    static final java.nio.file.Path DEFAULT_TOKEN_FILE = java.nio.file.Path.of("./data/admin.token");

    Session(TallyCli options) {
        if (!(options.timeoutSeconds > 0) || Double.isInfinite(options.timeoutSeconds)) {
            throw new IllegalArgumentException("invalid --timeout '" + options.timeoutSeconds + "': expected seconds above 0, such as 30");
        }
        this.options = options;
        var builder = NettyChannelBuilder.forTarget(options.target, credentials(options))
                .eventLoopGroup(eventLoop).channelType(NioSocketChannel.class)
                // A few small calls need no buffer pool; the pooled one also loads Flight Recorder for its events.
                .withOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT);
        if (options.authority != null && !options.authority.isBlank()) {
            builder.overrideAuthority(options.authority);
        }
        this.channel = builder.build();
    }

    ManagedChannel channel() {
        return channel;
    }

    /** A stub of {@code factory} with the token attached (when there is one) and the call deadline set. */
    <S extends AbstractStub<S>> S stub(Function<ManagedChannel, S> factory) {
        S stub = factory.apply(channel).withDeadlineAfter((long) (options.timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        if (token == null) {
            token = readToken();
        }
        if (token.isEmpty()) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token.get());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Where the token comes from, read once per invocation (paging with --all makes a stub per page). */
    private Optional<String> readToken() {
        if (options.token != null && !options.token.isBlank()) {
            return Optional.of(options.token.trim());
        }
        if (options.tokenFile != null && !Files.exists(options.tokenFile) && !options.tokenFile.equals(DEFAULT_TOKEN_FILE)) {
            throw new IllegalArgumentException("the token file " + options.tokenFile + " does not exist: point --token-file"
                    + " (TALLY_TOKEN_FILE) at the file, or give the token with --token (TALLY_TOKEN)");
        }
        if (options.tokenFile != null && Files.isReadable(options.tokenFile)) {
            try {
                return Optional.of(Files.readString(options.tokenFile).trim());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + options.tokenFile, e);
            }
        }
        return Optional.empty();
    }

    private static ChannelCredentials credentials(TallyCli options) {
        if (options.caCert != null) {
            try {
                return TlsChannelCredentials.newBuilder().trustManager(options.caCert.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --ca-cert " + options.caCert, e);
            }
        }
        return options.tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(1, TimeUnit.SECONDS);
    }
}
