package dev.tally.telemetry;

import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call through either door, counted by method and status, timed by method, and written as one line
 * of the access log. Labels are the door, the method (one the door serves, or {@code unknown}) and the
 * status: small fixed sets, never an id. The access log has a logger of its own, {@value #ACCESS_LOGGER},
 * so that it can be routed elsewhere or silenced; it names the caller by the id of its credential, never
 * by the credential.
 */
public final class ObservedCalls implements CallObserver {

    public static final String ACCESS_LOGGER = "tally.access";
    private static final Logger access = LoggerFactory.getLogger(ACCESS_LOGGER);
    /** From a fast read to a slow page: where Tally's latencies fall, and where alerts draw their lines. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};

    /** One method's meters: its latency, and a counter per status it has answered with. */
    private record MethodMeters(Timer duration, Map<String, Counter> requests) {
    }

    private final MeterRegistry registry;
    private final boolean accessLog;
    private final Map<Door, String> doorLabels = new EnumMap<>(Door.class);
    private final Map<Door, AtomicInteger> inFlight = new EnumMap<>(Door.class);
    private final Map<Door, Map<String, MethodMeters>> methods = new EnumMap<>(Door.class);

    /** @param accessLog whether to write the access log at all ({@code --access-log off} saves its cost) */
    public ObservedCalls(MeterRegistry registry, boolean accessLog) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.accessLog = accessLog;
        for (Door door : Door.values()) {
            doorLabels.put(door, door.name().toLowerCase(Locale.ROOT));
            AtomicInteger count = new AtomicInteger();
            inFlight.put(door, count);
            methods.put(door, new ConcurrentHashMap<>());
            Gauge.builder("tally.rpc.in.flight", count, AtomicInteger::get)
                    .description("Calls received and not yet answered, by door")
                    .tag("door", doorLabels.get(door))
                    .register(registry);
        }
    }

    @Override
    public void started(Door door) {
        inFlight.get(door).incrementAndGet();
    }

    @Override
    public void finished(Call call) {
        inFlight.get(call.door()).decrementAndGet();
        MethodMeters meters = methods.get(call.door()).computeIfAbsent(call.method(), method -> meters(call.door(), method));
        meters.requests().computeIfAbsent(call.status(), status -> Counter.builder("tally.rpc.requests")
                .description("Calls answered, by door, method and status code")
                .tags("door", doorLabels.get(call.door()), "method", call.method(), "code", status)
                .register(registry)).increment();
        meters.duration().record(call.nanos(), TimeUnit.NANOSECONDS);
        if (accessLog && access.isInfoEnabled()) {
            log(call);
        }
    }

    private MethodMeters meters(Door door, String method) {
        Timer timer = Timer.builder("tally.rpc.duration")
                .description("Time from a call's arrival to its answer, by door and method")
                .tags("door", doorLabels.get(door), "method", method)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
        return new MethodMeters(timer, new ConcurrentHashMap<>());
    }

    private void log(Call call) {
        Caller caller = call.caller().orElse(null);
        access.atInfo()
                .addKeyValue("door", doorLabels.get(call.door()))
                .addKeyValue("method", call.method())
                .addKeyValue("status", call.status())
                .addKeyValue("caller", caller instanceof Caller.Developer ? "developer" : caller instanceof Caller.Identity ? "identity" : "none")
                .addKeyValue("key_id", keyId(caller))
                .addKeyValue("duration_us", call.nanos() / 1000)
                .addKeyValue("request_bytes", call.requestBytes())
                .addKeyValue("response_bytes", call.responseBytes())
                .log("call");
    }

    /** The id of the caller's credential (a developer key's id, an identity token's id): never a secret. */
    private static String keyId(Caller caller) {
        if (caller instanceof Caller.Developer developer) {
            return developer.keyId();
        }
        if (caller instanceof Caller.Identity identity) {
            return identity.tokenId();
        }
        return "-";
    }
}
