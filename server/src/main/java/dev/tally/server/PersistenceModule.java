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
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** The domain's out-ports, implemented by the jOOQ adapters. */
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
        return new JooqDeveloperKeyStore(database);
    }

    @Provides
    @Singleton
    AccessKeyStore accessKeyStore(Database database) {
        return new JooqAccessKeyStore(database);
    }

    @Provides
    @Singleton
    IdentityTokenStore identityTokenStore(Database database) {
        return new JooqIdentityTokenStore(database);
    }

    @Provides
    @Singleton
    JooqIdentityRegistry identityRegistry(Database database) {
        return new JooqIdentityRegistry(database);
    }

    @Provides
    IdentityRegistry identityRegistryPort(JooqIdentityRegistry registry) {
        return registry;
    }

    @Provides
    IdentityDirectory identityDirectory(JooqIdentityRegistry registry) {
        return registry;
    }

    @Provides
    @Singleton
    JooqDatasetStore jooqDatasetStore(Database database) {
        return new JooqDatasetStore(database);
    }

    @Provides
    DatasetStore datasetStore(JooqDatasetStore store) {
        return store;
    }

    @Provides
    @Singleton
    UsagePlanStore usagePlanStore(Database database) {
        return new JooqUsagePlanStore(database);
    }

    @Provides
    @Singleton
    UsageLedger usageLedger(Database database, Clock clock) {
        return new JooqUsageLedger(database, clock);
    }

    @Provides
    @Singleton
    LicenseStore licenseStore(Database database) {
        return new JooqLicenseStore(database);
    }
}
