package dev.tally.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/** A few real Netty channels to the server, and stubs that carry the admin token. */
final class Clients implements AutoCloseable {

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
    record Stubs<S>(List<S> stubs) {
        S next() {
            return stubs.get(ThreadLocalRandom.current().nextInt(stubs.size()));
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
