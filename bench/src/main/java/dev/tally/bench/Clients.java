package dev.tally.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** A few real Netty channels to the server, and stubs that carry the admin token. */
final class Clients implements AutoCloseable {

    /**
     * How long one call may take before it counts as an error: a call never answered then shows in the report
     * with its status, instead of holding a slot of the load loop for good.
     */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Metadata headers = new Metadata();

    Clients(int port, int channelCount) {
        for (int i = 0; i < channelCount; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ServerProcess.ADMIN_TOKEN);
    }

    <S extends AbstractStub<S>> S blocking(Function<ManagedChannel, S> factory) {
        return future(factory);
    }

    /** A stub on one of the channels, chosen at random to spread calls over connections. */
    <S extends AbstractStub<S>> S future(Function<ManagedChannel, S> factory) {
        ManagedChannel channel = channels.get(ThreadLocalRandom.current().nextInt(channels.size()));
        return factory.apply(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** One authenticated stub per channel, made once: the load loop should not pay for stub creation. */
    <S extends AbstractStub<S>> Stubs<S> each(Function<ManagedChannel, S> factory) {
        List<S> stubs = new ArrayList<>();
        channels.forEach(channel -> stubs.add(factory.apply(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))));
        return new Stubs<>(stubs);
    }

    /** Stubs over all channels; {@link #next()} spreads calls over them. */
    record Stubs<S extends AbstractStub<S>>(List<S> stubs) {
        S next() {
            return stubs.get(ThreadLocalRandom.current().nextInt(stubs.size()))
                    .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The lean client of a method: each call sends one of {@code requests}, serialized once up front, and
     * reads the reply's bytes without parsing them, so the load generator's CPU per call is the least a
     * gRPC client can spend and takes as little as it can from the server's cores.
     */
    Supplier<ListenableFuture<?>> lean(MethodDescriptor<?, ?> method, List<? extends MessageLite> requests) {
        return typed(method.toBuilder(RequestBytes.INSTANCE, UnreadReply.INSTANCE).build(),
                requests.stream().map(MessageLite::toByteArray).toList());
    }

    /** As {@link #lean}, but as a stub calls: each request serialized and each reply parsed, every call. */
    <Q> Supplier<ListenableFuture<?>> typed(MethodDescriptor<Q, ?> method, List<Q> requests) {
        List<Channel> authenticated = channels.stream()
                .map(channel -> ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers))).toList();
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Channel channel = authenticated.get(random.nextInt(authenticated.size()));
            CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return ClientCalls.futureUnaryCall(channel.newCall(method, options), requests.get(random.nextInt(requests.size())));
        };
    }

    /** Requests as the bytes they already are. */
    private enum RequestBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("requests are only sent");
        }
    }

    /** Replies drained, not parsed. */
    private enum UnreadReply implements MethodDescriptor.Marshaller<Void> {
        INSTANCE;

        @Override
        public InputStream stream(Void value) {
            throw new UnsupportedOperationException("replies are only read");
        }

        @Override
        public Void parse(InputStream stream) {
            try (stream) {
                stream.transferTo(OutputStream.nullOutputStream());
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A stub without credentials, for the health baseline. */
    <S extends AbstractStub<S>> S anonymous(Function<ManagedChannel, S> factory) {
        return factory.apply(channels.get(ThreadLocalRandom.current().nextInt(channels.size())));
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
