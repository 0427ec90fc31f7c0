package dev.tally.grpc;

import dev.tally.domain.common.CallObserver;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty gRPC server: Tally's services behind authentication and per-caller rate limits, plus health
 * (overall and per service) and server reflection v1 and v1alpha, which need no token. Shutdown drains:
 * health goes NOT_SERVING, then the server stops taking calls, lets in-flight ones finish within a grace
 * period, and only then cancels what is left.
 *
 * <p>Calls run on a work-stealing pool of {@code callThreads}, not grpc-java's default cached pool: handing a
 * call to an idle thread of the default pool costs more CPU than most of Tally's reads. A call that waits
 * for a commit or for a large-page permit tells the pool ({@link ForkJoinPool#managedBlock}), which then
 * lets another thread run meanwhile, so waiting calls never hold up the rest.
 *
 * <p>Every call, health and reflection included, is reported to the {@link CallObserver}, and every
 * service parses its own requests ({@link MalformedRequests}), so bytes that are no message are refused as
 * INVALID_ARGUMENT. Health follows the store: {@link #serving} turns it NOT_SERVING while the store is
 * unreachable, and back.
 */
public final class GrpcTransport {

    private static final Logger log = LoggerFactory.getLogger(GrpcTransport.class);
    /** Calls one connection may have open at once; a client wanting more opens another connection. */
    static final int MAX_CALLS_PER_CONNECTION = 1000;

    private final TransportSettings settings;
    private final List<BindableService> services;
    private final AuthInterceptor auth;
    private final RateLimitInterceptor rateLimit;
    private final ObservedStreams observed;
    private final MalformedRequests malformed = new MalformedRequests();
    private StalledRequests stalled;
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<String> served = new ArrayList<>();
    private boolean draining;
    private Server server;
    private ForkJoinPool callExecutor;

    public GrpcTransport(TransportSettings settings, List<BindableService> services, AuthInterceptor auth,
                         RateLimitInterceptor rateLimit, CallObserver observer) {
        this.observed = new ObservedStreams(observer);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.services = List.copyOf(services);
        this.auth = Objects.requireNonNull(auth, "auth");
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
    }

    public synchronized void start() throws IOException {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        NettyServerBuilder builder = settings.tls().isPresent()
                ? NettyServerBuilder.forAddress(address, credentials(settings.tls().get()))
                : NettyServerBuilder.forAddress(address);
        stalled = new StalledRequests(settings.requestTimeout());
        for (BindableService service : services) {
            // ServerInterceptors runs the last interceptor first: authenticate, then rate-limit the caller.
            ServerServiceDefinition definition = ServerInterceptors.intercept(service, rateLimit, auth);
            builder.addService(guarded(definition));
            served.add(definition.getServiceDescriptor().getName());
        }
        callExecutor = new ForkJoinPool(settings.callThreads(), pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("tally-call-" + thread.getPoolIndex());
            return thread;
        }, null, true /* first in, first out: calls are events, never joined */);
        builder.executor(callExecutor)
                .addStreamTracerFactory(observed)
                .addService(guarded(health.getHealthService().bindService()))
                .addService(guarded(ProtoReflectionServiceV1.newInstance().bindService()))
                .addService(guarded(legacyReflection().bindService()))
                .maxInboundMessageSize(settings.maxMessageBytes())
                .maxInboundMetadataSize(settings.maxMetadataBytes())
                .keepAliveTime(2, TimeUnit.MINUTES)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(20, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                // An idle connection is closed (clients reconnect when they next call), and no connection lives
                // forever: every hour it is asked to go away, with time for its calls to finish, so load spreads
                // again over servers added since. One connection cannot hold more than so many calls at once.
                .maxConnectionIdle(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(1, TimeUnit.HOURS)
                .maxConnectionAgeGrace(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION);
        server = builder.build();
        Set<String> methods = new HashSet<>();
        server.getServices().forEach(service -> service.getMethods().forEach(m -> methods.add(m.getMethodDescriptor().getFullMethodName())));
        observed.served(methods);
        server.start();
        serving(true);
        log.info("Serving gRPC on {}:{}{}", settings.host(), port(), settings.tls().isPresent() ? " (TLS)" : "");
    }

    /** A service behind the guards every call passes first: a request that never arrives, and bytes that are no message. */
    private ServerServiceDefinition guarded(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(malformed.guard(service), stalled);
    }

    /** Health says SERVING for every service, or NOT_SERVING (the store is unreachable); ignored once draining. */
    public synchronized void serving(boolean serving) {
        if (draining) {
            return;
        }
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        served.forEach(name -> health.setStatus(name, status));
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    /** Drains and stops; safe to call more than once. */
    public synchronized void stop() throws InterruptedException {
        if (server == null || server.isShutdown()) {
            return;
        }
        draining = true;
        health.enterTerminalState();
        log.info("Draining: health is NOT_SERVING; stopping in {} ms", settings.drainDelay().toMillis());
        Thread.sleep(settings.drainDelay().toMillis());
        server.shutdown();
        if (!server.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("In-flight calls did not finish within {} ms; cancelling them", settings.shutdownGrace().toMillis());
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
        callExecutor.shutdown();
        stalled.close();
        log.info("gRPC server stopped");
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        // v1alpha is deprecated upstream but still what many grpcurl and Postman versions ask for.
        return ProtoReflectionService.newInstance();
    }

    private static ServerCredentials credentials(TransportSettings.Tls tls) throws IOException {
        TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                .keyManager(tls.certChain().toFile(), tls.privateKey().toFile());
        if (tls.clientCa().isPresent()) {
            builder.trustManager(tls.clientCa().get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return builder.build();
    }
}
