package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.console.ConsoleApi;
import dev.tally.console.ConsoleDoor;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.quota.QuotaService;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.SyncDatasets;
import java.time.Clock;

/** The web console: a door on the HTTP listener, at /console/. */
final class ConsoleModule extends AbstractModule {

    @Provides
    @Singleton
    ConsoleDoor consoleDoor(AuthenticateCaller authenticator, CallerRateLimits rateLimits, CallObserver observer, QuotaService quotas,
                            LicenseManager licenses, DescribeSyncUsage syncUsage, SyncDatasets datasets, Clock clock) {
        return new ConsoleDoor(authenticator, rateLimits, observer,
                new ConsoleApi(quotas, quotas, licenses, licenses, syncUsage, datasets, clock));
    }
}
