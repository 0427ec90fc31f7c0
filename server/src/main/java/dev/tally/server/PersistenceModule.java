package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.domain.access.port.out.AccessKeyStore;
import dev.tally.domain.access.port.out.DeveloperKeyStore;
import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.access.port.out.IdentityTokenStore;
import dev.tally.domain.license.port.out.LicenseStore;
import dev.tally.domain.quota.port.out.UsageLedger;
import dev.tally.domain.quota.port.out.UsagePlanStore;
import dev.tally.domain.sync.port.out.DatasetStore;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import dev.tally.persistence.Database;
import dev.tally.persistence.DatabaseSettings;
import dev.tally.persistence.JooqDatasetStore;
import dev.tally.persistence.JooqAccessKeyStore;
import dev.tally.persistence.JooqDeveloperKeyStore;
import dev.tally.persistence.JooqIdentityRegistry;
import dev.tally.persistence.JooqIdentityTokenStore;
import dev.tally.persistence.JooqLicenseStore;
import dev.tally.persistence.JooqServerSecrets;
import dev.tally.persistence.JooqUsageLedger;
import dev.tally.persistence.JooqUsagePlanStore;
import dev.tally.persistence.StoreFailures;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * The domain's out-ports, implemented by the jOOQ adapters. Each is guarded ({@link StoreFailures}): a
 * failure that is the store's own (down, restarting, full) reaches the domain as UnavailableException.
 */
final class PersistenceModule extends AbstractModule {

    @Provides
    @Singleton
    Database database(DatabaseSettings settings, MeterRegistry meters) {
        return new Database(settings, meters);
    }

    @Provides
    @Singleton
    JooqServerSecrets serverSecrets(Database database) {
        return new JooqServerSecrets(database);
    }

    @Provides
    @Singleton
    DeveloperKeyStore developerKeyStore(Database database) {
        return StoreFailures.guarded(DeveloperKeyStore.class, new JooqDeveloperKeyStore(database));
    }

    @Provides
    @Singleton
    AccessKeyStore accessKeyStore(Database database) {
        return StoreFailures.guarded(AccessKeyStore.class, new JooqAccessKeyStore(database));
    }

    @Provides
    @Singleton
    IdentityTokenStore identityTokenStore(Database database) {
        return StoreFailures.guarded(IdentityTokenStore.class, new JooqIdentityTokenStore(database));
    }

    @Provides
    @Singleton
    JooqIdentityRegistry identityRegistry(Database database) {
        return new JooqIdentityRegistry(database);
    }

    @Provides
    @Singleton
    IdentityRegistry identityRegistryPort(JooqIdentityRegistry registry) {
        return StoreFailures.guarded(IdentityRegistry.class, registry);
    }

    @Provides
    @Singleton
    IdentityDirectory identityDirectory(JooqIdentityRegistry registry) {
        return StoreFailures.guarded(IdentityDirectory.class, registry);
    }

    @Provides
    @Singleton
    JooqDatasetStore jooqDatasetStore(Database database) {
        return new JooqDatasetStore(database);
    }

    @Provides
    @Singleton
    DatasetStore datasetStore(JooqDatasetStore store) {
        return StoreFailures.guarded(DatasetStore.class, store);
    }

    @Provides
    @Singleton
    UsagePlanStore usagePlanStore(Database database) {
        return StoreFailures.guarded(UsagePlanStore.class, new JooqUsagePlanStore(database));
    }

    @Provides
    @Singleton
    UsageLedger usageLedger(Database database, Clock clock) {
        return StoreFailures.guarded(UsageLedger.class, new JooqUsageLedger(database, clock));
    }

    @Provides
    @Singleton
    LicenseStore licenseStore(Database database) {
        return StoreFailures.guarded(LicenseStore.class, new JooqLicenseStore(database));
    }
}
