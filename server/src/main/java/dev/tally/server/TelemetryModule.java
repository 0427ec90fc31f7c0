package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.Telemetry;
import dev.tally.persistence.JooqDatasetStore;
import dev.tally.telemetry.MeteredTelemetry;
import dev.tally.telemetry.Metrics;
import dev.tally.telemetry.ObservedCalls;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Metrics and the access log: one registry for the whole server, fed by both doors, the domain and the store. */
final class TelemetryModule extends AbstractModule {

    @Provides
    @Singleton
    Metrics metrics() {
        return new Metrics();
    }

    @Provides
    MeterRegistry meterRegistry(Metrics metrics) {
        return metrics.registry();
    }

    @Provides
    @Singleton
    Telemetry telemetry(MeterRegistry registry) {
        return new MeteredTelemetry(registry);
    }

    @Provides
    @Singleton
    CallObserver callObserver(MeterRegistry registry, ServerConfig config) {
        return new ObservedCalls(registry, config.accessLog());
    }

    /** The store's figures read at each scrape: whether it answers, and the bytes of records it holds. */
    @Provides
    @Singleton
    Readiness readiness(MeterRegistry registry, JooqDatasetStore datasets) {
        Readiness readiness = new Readiness();
        Gauge.builder("tally.store.up", readiness, r -> r.storeUp() ? 1 : 0)
                .description("1 while the store answers the server's probe, else 0").register(registry);
        Gauge.builder("tally.sync.stored", datasets, store -> readiness.storeUp() ? store.storedBytes() : Double.NaN).baseUnit("bytes")
                .description("Bytes of sync records stored, over every identity pool").register(registry);
        return readiness;
    }
}
