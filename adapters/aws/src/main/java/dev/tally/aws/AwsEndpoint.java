package dev.tally.aws;

import dev.tally.aws.http.HttpCall;
import dev.tally.aws.http.HttpListener;
import dev.tally.aws.http.HttpReply;
import dev.tally.aws.protocol.AwsError;
import dev.tally.aws.protocol.DomainErrors;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.ServiceModel.Operation;
import dev.tally.aws.protocol.Wire;
import dev.tally.aws.sigv4.SigV4Request;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.TooManyRequestsException;
import dev.tally.domain.common.UnauthenticatedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tally's AWS-compatible HTTP endpoint: unmodified AWS SDKs call it with an endpoint override. A request
 * is authenticated (SigV4, verified by the domain), rate-limited per caller like every other call, routed
 * to its operation by the models ({@code X-Amz-Target} for json 1.1, method and path for rest-json),
 * read and checked by the model, and answered in the service's protocol. {@code GET /ping} answers 200
 * without credentials: the cheapest call the listener serves, for load balancers and the bench baseline.
 */
public final class AwsEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AwsEndpoint.class);

    /** An operation a request resolved to, with its handler and path labels. */
    private record Route(AwsService service, Operation operation, AwsService.Handler handler, Map<String, String> labels) {
    }

    private final AwsSettings settings;
    private final AuthenticateCaller authenticator;
    private final CallerRateLimits rateLimits;
    private final List<AwsService> services;
    private HttpListener listener;
    private ForkJoinPool executor;

    public AwsEndpoint(AwsSettings settings, AuthenticateCaller authenticator, CallerRateLimits rateLimits, List<AwsService> services) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        this.services = List.copyOf(services);
        for (AwsService service : this.services) {
            service.handlers().keySet().forEach(name -> service.model().operation(name).orElseThrow(
                    () -> new IllegalArgumentException(service.model().signingName() + " has no operation " + name)));
        }
    }

    public synchronized void start() throws IOException {
        executor = new ForkJoinPool(settings.callThreads(), pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("tally-aws-" + thread.getPoolIndex());
            return thread;
        }, null, true);
        listener = new HttpListener(settings.host(), settings.port(), settings.maxBodyBytes(), settings.tls(), executor, this::handle,
                reason -> Wire.error(ServiceModel.Protocol.REST_JSON, 400, "BadRequestException", reason, requestId(), Map.of()));
        listener.start();
        log.info("Serving the AWS endpoint on {}://{}:{}{}", settings.tls().isPresent() ? "https" : "http", settings.host(), port(),
                settings.openAuth() ? "" : " (SigV4)");
        if (settings.openAuth()) {
            log.warn("--aws-auth open: the AWS endpoint accepts requests WITHOUT checking signatures, acting as developer key {}."
                    + " Use it for throwaway local runs only.", settings.openDeveloperKey());
        }
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return listener.port();
    }

    /** Stops taking requests and lets those in flight finish within the shutdown grace. */
    public synchronized void stop() throws InterruptedException {
        if (listener != null) {
            listener.stop(settings.shutdownGrace().toMillis());
            executor.shutdown();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            listener = null;
            log.info("AWS endpoint stopped");
        }
    }

    HttpReply handle(HttpCall call) {
        String requestId = requestId();
        ServiceModel.Protocol protocol = call.header("x-amz-target") != null ? ServiceModel.Protocol.JSON : ServiceModel.Protocol.REST_JSON;
        if (call.method().equals("GET") && call.rawPath().equals("/ping")) {
            return HttpReply.text(200, "ok\n");
        }
        Route route = null;
        try {
            Caller caller = authenticate(call);
            route = route(call);
            protocol = route.service().model().protocol();
            rateLimits.admit(caller);
            var input = Wire.input(route.operation(), route.labels(), call, route.service().badInputError());
            return Wire.output(route.operation(), route.handler().handle(caller, input), requestId);
        } catch (AwsError e) {
            return Wire.error(protocol, e.status(), e.name(), e.getMessage(), requestId, Map.of());
        } catch (TooManyRequestsException e) {
            return Wire.error(protocol, 429, "TooManyRequestsException", e.getMessage(), requestId,
                    Map.of("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000))));
        } catch (UnauthenticatedException e) {
            return Wire.error(protocol, 403, e.reason().awsName(), e.getMessage(), requestId, Map.of());
        } catch (TallyException e) {
            AwsError error = route != null ? DomainErrors.toAwsError(e, route.operation())
                    : new AwsError(400, e.reason().awsName(), e.getMessage());
            return Wire.error(protocol, error.status(), error.name(), error.getMessage(), requestId, Map.of());
        } catch (RuntimeException e) {
            log.error("Unexpected failure serving {} {} (request {})", call.method(), route == null ? call.rawPath()
                    : route.operation().name(), requestId, e);
            return Wire.error(protocol, 500, "InternalFailure", "internal error; the server log has the details (request "
                    + requestId + ")", requestId, Map.of());
        }
    }

    /** A request id for logs and SDKs: unique, not secret, so it need not cost a secure random number. */
    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L, random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L)
                .toString();
    }

    private Caller authenticate(HttpCall call) {
        if (settings.openAuth()) {
            return new Caller.Developer(settings.openDeveloperKey());
        }
        try {
            return authenticator.authenticate(SigV4Request.claim(call));
        } catch (SigV4Request.Malformed e) {
            throw new AwsError(403, e.missing() ? ErrorReason.MISSING_AUTHENTICATION_TOKEN.awsName()
                    : ErrorReason.INVALID_SIGNATURE.awsName(), e.getMessage());
        }
    }

    private Route route(HttpCall call) {
        String target = call.header("x-amz-target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            String prefix = dot < 0 ? "" : target.substring(0, dot);
            for (AwsService service : services) {
                if (service.model().protocol() == ServiceModel.Protocol.JSON && service.model().targetPrefix().equals(prefix)) {
                    String name = target.substring(dot + 1);
                    AwsService.Handler handler = service.handlers().get(name);
                    if (handler == null || !call.method().equals("POST")) {
                        break;
                    }
                    return new Route(service, service.model().operation(name).orElseThrow(), handler, Map.of());
                }
            }
            throw new AwsError(400, "UnknownOperationException", "X-Amz-Target " + quote(target) + " is not an operation Tally serves");
        }
        Optional<String> scopeService = SigV4Request.service(call);
        List<Route> matches = new ArrayList<>();
        for (AwsService service : services) {
            if (service.model().protocol() != ServiceModel.Protocol.REST_JSON) {
                continue;
            }
            service.handlers().forEach((name, handler) -> {
                Operation operation = service.model().operation(name).orElseThrow();
                if (operation.method().equals(call.method())) {
                    operation.uri().match(call.rawPath()).ifPresent(labels -> matches.add(new Route(service, operation, handler, labels)));
                }
            });
        }
        // The most literal template wins (/usageplans/{id}/keys over /usageplans/{id}); then the signed service.
        return matches.stream()
                .max(Comparator.<Route>comparingInt(r -> r.operation().uri().literals())
                        .thenComparing(r -> scopeService.map(s -> s.equals(r.service().model().signingName())).orElse(false)))
                .orElseThrow(() -> new AwsError(404, "UnknownOperationException",
                        call.method() + " " + quote(call.rawPath()) + " is not an operation Tally serves"));
    }

    private static String quote(String text) {
        return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
    }
}
