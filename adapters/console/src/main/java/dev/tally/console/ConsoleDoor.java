package dev.tally.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PermissionDeniedException;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.TooManyRequestsException;
import dev.tally.domain.common.UnauthenticatedException;
import dev.tally.domain.common.UnavailableException;
import dev.tally.http.HttpCall;
import dev.tally.http.HttpReply;
import dev.tally.http.HttpRoute;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console, a third door on the HTTP listener at {@code /console/}: static pages (no inline script,
 * under a strict Content-Security-Policy) and the JSON API they call. The API takes the credential the
 * person pasted, as {@code Authorization: Bearer <developer token>} or {@code Bearer <access key id>:<secret>},
 * on every request: the page keeps it in its session storage, so there is no cookie, and nothing to forge
 * a request with (CSRF needs a credential the browser sends by itself). Views are for developers; an
 * identity token is refused.
 */
public final class ConsoleDoor {

    public static final String PATH = "/console/";
    private static final String API = PATH + "api/";
    private static final Logger log = LoggerFactory.getLogger(ConsoleDoor.class);
    private static final Pattern ACCESS_KEY = Pattern.compile("^(AKIA[A-Z2-7]{16}):(\\S{40})$");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Scripts, styles and data only from the server itself; no frames, no forms, no inline code. */
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    /** The HTTP status of each kind of failure (every kind is a final class); any other is 400. */
    private static final Map<Class<? extends TallyException>, Integer> STATUS = Map.of(
            UnauthenticatedException.class, 401, PermissionDeniedException.class, 403, NotFoundException.class, 404,
            ConflictException.class, 409, TooManyRequestsException.class, 429, UnavailableException.class, 503);

    private final AuthenticateCaller authenticator;
    private final CallerRateLimits rateLimits;
    private final CallObserver observer;
    private final ConsoleApi api;
    private final Assets assets = new Assets();

    /** @param observer told of every API call, as the other doors tell it of theirs (pages and scripts are not calls) */
    public ConsoleDoor(AuthenticateCaller authenticator, CallerRateLimits rateLimits, CallObserver observer, ConsoleApi api) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.api = Objects.requireNonNull(api, "api");
    }

    /** The listener's route to this door. */
    public HttpRoute route() {
        return new HttpRoute(PATH, this::handle);
    }

    HttpReply handle(HttpCall call) {
        if (call.rawPath().startsWith(API)) {
            long start = System.nanoTime();
            observer.started(CallObserver.Door.CONSOLE);
            Answer answer = answer(call);
            observer.finished(new CallObserver.Call(CallObserver.Door.CONSOLE, ConsoleApi.view(call.rawPath().substring(API.length())),
                    answer.caller(), Integer.toString(answer.reply().status()), System.nanoTime() - start, call.body().length,
                    answer.reply().body().length));
            return secured(answer.reply(), "no-store");
        }
        if (!call.method().equals("GET") && !call.method().equals("HEAD")) {
            return secured(json(405, error("MethodNotAllowed", "the console's pages are only read (GET)")), "no-store");
        }
        if (call.rawPath().equals(PATH.substring(0, PATH.length() - 1))) {
            return secured(new HttpReply(301, Map.of("Location", PATH), new byte[0]), "no-store");
        }
        return secured(assets.get(call.rawPath().substring(PATH.length())), "no-cache");
    }

    /** An API reply, and who it was for (empty when the call was refused before that was known). */
    private record Answer(HttpReply reply, Optional<Caller> caller) {
    }

    private Answer answer(HttpCall call) {
        Caller caller = null;
        try {
            if (!call.method().equals("GET")) {
                throw new InvalidParameterException("method", "the console API is read-only: use GET");
            }
            caller = authenticate(call);
            if (!(caller instanceof Caller.Developer)) {
                throw new PermissionDeniedException(ErrorReason.ACCESS_DENIED, null,
                        "the console is for developers: sign in with a developer token or an access key, not an identity token");
            }
            rateLimits.admit(caller);
            return new Answer(json(200, api.answer(caller, call.rawPath().substring(API.length()), call.rawQuery())), Optional.of(caller));
        } catch (TallyException e) {
            return new Answer(json(status(e), error(e.reason().awsName(), e.getMessage())), Optional.ofNullable(caller));
        } catch (RuntimeException e) {
            log.error("Unexpected failure serving the console's {}", call.rawPath(), e);
            return new Answer(json(500, error("InternalFailure", "internal error; the server log has the details")), Optional.ofNullable(caller));
        }
    }

    private Caller authenticate(HttpCall call) {
        String header = call.header("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException(null, "sign in: send Authorization: Bearer <developer token or access key id:secret>");
        }
        String credential = header.substring(7).trim();
        var accessKey = ACCESS_KEY.matcher(credential);
        return accessKey.matches() ? authenticator.authenticateAccessKey(accessKey.group(1), accessKey.group(2))
                : authenticator.authenticate(credential);
    }

    private static int status(TallyException e) {
        return STATUS.getOrDefault(e.getClass(), 400);
    }

    private static ObjectNode error(String name, String message) {
        return JSON.createObjectNode().put("error", name).put("message", message);
    }

    private static HttpReply json(int status, JsonNode body) {
        try {
            return new HttpReply(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }

    private static HttpReply secured(HttpReply reply, String cacheControl) {
        Map<String, String> headers = new HashMap<>(reply.headers());
        headers.putAll(SECURITY_HEADERS);
        headers.put("Cache-Control", cacheControl);
        return new HttpReply(reply.status(), headers, reply.body());
    }
}
