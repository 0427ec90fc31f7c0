package dev.tally.telemetry;

import dev.tally.domain.common.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/** The domain's business outcomes as Prometheus counters; each outcome's counter is found once, then reused. */
public final class MeteredTelemetry implements Telemetry {

    private final MeterRegistry registry;
    private final Map<String, Counter> quotaDecisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> unitsMetered = new ConcurrentHashMap<>();
    private final Map<String, Counter> checkouts = new ConcurrentHashMap<>();
    private final Counter recordsWritten;
    private final List<LongSupplier> watched = new CopyOnWriteArrayList<>();

    public MeteredTelemetry(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.recordsWritten = Counter.builder("tally.sync.records.written")
                .description("Records written by UpdateRecords (new, changed and deleted)").register(registry);
    }

    @Override
    public void quotaDecided(String outcome) {
        counter(quotaDecisions, "tally.quota.decisions", "ConsumeQuota answers by outcome, idempotent replays included", "outcome",
                outcome).increment();
    }

    @Override
    public void unitsMetered(String source, long units) {
        counter(unitsMetered, "tally.quota.units.metered", "Units newly counted against API keys, by source (consume or record)",
                "source", source).increment(units);
    }

    @Override
    public void licenseCheckout(String outcome) {
        counter(checkouts, "tally.license.checkouts", "CheckoutLicense calls by outcome: granted, or the reason refused", "outcome",
                outcome).increment();
    }

    /** The counter of {@code name} for one value of its one label, registered the first time that value is seen. */
    private Counter counter(Map<String, Counter> byValue, String name, String description, String label, String value) {
        Counter counter = byValue.get(value);
        return counter != null ? counter : byValue.computeIfAbsent(value,
                v -> Counter.builder(name).description(description).tag(label, v).register(registry));
    }

    @Override
    public void recordsWritten(int records) {
        recordsWritten.increment(records);
    }

    @Override
    public void cache(String name, LongSupplier hits, LongSupplier misses) {
        lookups(name, "hit", hits);
        lookups(name, "miss", misses);
    }

    private void lookups(String cache, String result, LongSupplier count) {
        FunctionCounter.builder("tally.cache.lookups", count, c -> c.getAsLong())
                .description("Cache lookups by cache and result (hit or miss)")
                .tags("cache", cache, "result", result)
                .register(registry);
        // Micrometer holds what it reads weakly, and these suppliers are method references nobody else holds.
        watched.add(count);
    }
}
