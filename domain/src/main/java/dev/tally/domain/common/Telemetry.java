package dev.tally.domain.common;

import java.util.function.LongSupplier;

/**
 * What the domain reports for operators to watch: business outcomes and its caches. Implemented by the
 * telemetry adapter as metrics; {@link #NONE} where nobody watches (unit tests). Outcomes are small fixed
 * sets of names, never ids or values, so they can become labels.
 */
public interface Telemetry {

    /** A ConsumeQuota answer ({@code outcome}: allowed, quota_exceeded, throttled, key_rejected), replays included. */
    void quotaDecided(String outcome);

    /** Units newly counted against keys, by {@code source}: consume (ConsumeQuota) or record (RecordUsage). */
    void unitsMetered(String source, long units);

    /** A CheckoutLicense ended: {@code granted}, or the reason it was refused. */
    void licenseCheckout(String outcome);

    /** UpdateRecords wrote {@code records} records. */
    void recordsWritten(int records);

    /** A cache whose hits and misses are worth watching, under a short fixed {@code name}. */
    void cache(String name, LongSupplier hits, LongSupplier misses);

    Telemetry NONE = new Telemetry() {
        @Override
        public void quotaDecided(String outcome) {
        }

        @Override
        public void unitsMetered(String source, long units) {
        }

        @Override
        public void licenseCheckout(String outcome) {
        }

        @Override
        public void recordsWritten(int records) {
        }

        @Override
        public void cache(String name, LongSupplier hits, LongSupplier misses) {
        }
    };
}
