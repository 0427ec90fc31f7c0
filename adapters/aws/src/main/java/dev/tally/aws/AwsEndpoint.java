package dev.tally.aws;

import dev.tally.http.HttpCall;
import dev.tally.http.HttpListener;
import dev.tally.http.HttpReply;
import dev.tally.http.HttpRoute;
import dev.tally.aws.protocol.AwsError;
import dev.tally.aws.protocol.DomainErrors;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.ServiceModel.Operation;
import dev.tally.aws.protocol.Wire;
import dev.tally.aws.sigv4.SigV4Request;
import dev.tally.domain.access.SignedRequest;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.TooManyRequestsException;
import dev.tally.domain.common.UnauthenticatedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
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
 * read and checked by the model, and answered in the service's protocol. Every such call is reported to
 * the {@link CallObserver}. {@code GET /ping} answers 200 without credentials: the cheapest call the
 * listener serves, for the bench baseline; the server adds further plain routes ({@code /metrics},
 * {@code /healthz}, {@code /readyz}), which need no credentials either and are not reported as calls.
 */
public final class AwsEndpoint {

    private static final Logger log = LoggerFactory.getLogger(AwsEndpoint.class);

    /** An operation a request resolved to, with its handler and path labels. */
    private record Route(AwsService service, Operation operation, AwsService.Handler handler, Map<String, String> labels) {
    }

    private final AwsSettings settings;
    private final AuthenticateCaller authenticator;
    private final CallerRateLimits rateLimits;
    private final CallObserver observer;
    private final List<HttpRoute> otherRoutes;
    /** Every rest-json operation served, in the order routing tries them. */
    private final List<Route> restRoutes = new ArrayList<>();
    /** Every json 1.1 operation served, by its {@code X-Amz-Target}. */
    private final Map<String, Route> jsonTargets = new HashMap<>();
    private HttpListener listener;
    private ForkJoinPool executor;

    /** @param otherRoutes the listener's other paths (pages, the console), which answer for themselves */
    public AwsEndpoint(AwsSettings settings, AuthenticateCaller authenticator, CallerRateLimits rateLimits, List<AwsService> services,
                       CallObserver observer, List<HttpRoute> otherRoutes) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.otherRoutes = List.copyOf(otherRoutes);
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        for (AwsService service : services) {
            service.handlers().forEach((name, handler) -> {
                Operation operation = service.model().operation(name).orElseThrow(
                        () -> new IllegalArgumentException(service.model().signingName() + " has no operation " + name));
                Route route = new Route(service, operation, handler, Map.of());
                if (service.model().protocol() == ServiceModel.Protocol.JSON) {
                    jsonTargets.put(service.model().targetPrefix() + "." + name, route);
                } else {
                    restRoutes.add(route);
                }
            });
        }
        // The most literal template first (/usageplans/{id}/keys before /usageplans/{id}/{x}).
        restRoutes.sort(Comparator.comparingInt((Route r) -> r.operation().uri().literals()).reversed());
    }

    public synchronized void start() throws IOException {
        executor = new ForkJoinPool(settings.callThreads(), pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("tally-aws-" + thread.getPoolIndex());
            return thread;
        }, null, true);
        listener = new HttpListener(settings.host(), settings.port(), settings.maxBodyBytes(), settings.tls(), executor,
                HttpRoute.first(otherRoutes, this::handle),
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
        if (call.method().equals("GET") && call.rawPath().equals("/ping")) {
            return HttpReply.text(200, "ok\n");
        }
        long start = System.nanoTime();
        observer.started(CallObserver.Door.AWS);
        Observed observed = new Observed();
        HttpReply reply = serve(call, observed);
        observer.finished(new CallObserver.Call(CallObserver.Door.AWS, observed.method, Optional.ofNullable(observed.caller),
                Integer.toString(reply.status()), System.nanoTime() - start, call.body().length, reply.body().length));
        return reply;
    }

    /** What a call's report needs to know beyond its reply: the operation it resolved to and its caller. */
    private static final class Observed {
        String method = "unknown";
        Caller caller;
    }

    private HttpReply serve(HttpCall call, Observed observed) {
        String requestId = requestId();
        ServiceModel.Protocol protocol = call.header("x-amz-target") != null ? ServiceModel.Protocol.JSON : ServiceModel.Protocol.REST_JSON;
        Route route = null;
        try {
            Optional<SignedRequest> claim = settings.openAuth() ? Optional.empty() : Optional.of(claim(call));
            Caller caller = claim.isPresent() ? authenticator.authenticate(claim.get())
                    : new Caller.Developer(settings.openDeveloperKey());
            observed.caller = caller;
            route = route(call, claim.map(SignedRequest::service).or(() -> SigV4Request.service(call)));
            observed.method = route.service().model().signingName() + "." + route.operation().name();
            protocol = route.service().model().protocol();
            if (caller instanceof Caller.Identity && !route.service().servesIdentityCallers()) {
                throw new AwsError(403, route.service().accessDeniedError(), "identity credentials may call only Cognito Sync, on"
                        + " their own identity; " + observed.method + " needs developer credentials");
            }
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

    private SignedRequest claim(HttpCall call) {
        try {
            return SigV4Request.claim(call);
        } catch (SigV4Request.Malformed e) {
            throw new AwsError(403, e.missing() ? ErrorReason.MISSING_AUTHENTICATION_TOKEN.awsName()
                    : ErrorReason.INVALID_SIGNATURE.awsName(), e.getMessage() + (e.missing() ? unsignedHint(call) : ""));
        }
    }

    /**
     * For an operation SDKs send unsigned (Cognito's GetId, which AWS serves to devices): Tally needs a
     * developer's signature on it, and this says how to make the SDK sign.
     */
    private String unsignedHint(HttpCall call) {
        Route route = jsonTargets.get(Objects.requireNonNullElse(call.header("x-amz-target"), ""));
        if (route == null || !route.operation().sentUnsigned()) {
            return "";
        }
        String service = route.service().model().signingName();
        return ": AWS SDKs send " + route.operation().name() + " unsigned, but Tally needs developer credentials for it; make the SDK"
                + " sign it (boto3: client.meta.events.register_first('choose-signer." + service + "." + route.operation().name()
                + "', lambda **_: 'v4'))";
    }

    /** The operation {@code call} asks for; {@code scopeService} (the signed service) breaks ties between services. */
    private Route route(HttpCall call, Optional<String> scopeService) {
        String target = call.header("x-amz-target");
        if (target != null) {
            Route route = jsonTargets.get(target);
            if (route == null || !call.method().equals("POST")) {
                throw new AwsError(400, "UnknownOperationException", "X-Amz-Target " + TallyException.quote(target) + " is not an operation Tally serves");
            }
            return route;
        }
        Route found = null;
        for (Route route : restRoutes) {
            if (found != null && route.operation().uri().literals() < found.operation().uri().literals()) {
                break;
            }
            if (route.operation().method().equals(call.method())) {
                Optional<Map<String, String>> labels = route.operation().uri().match(call.rawPath());
                if (labels.isPresent() && (found == null || scopeService.filter(route.service().model().signingName()::equals).isPresent())) {
                    found = new Route(route.service(), route.operation(), route.handler(), labels.get());
                }
            }
        }
        if (found == null) {
            throw new AwsError(404, "UnknownOperationException", call.method() + " " + TallyException.quote(call.rawPath())
                    + " is not an operation Tally serves");
        }
        return found;
    }

}
