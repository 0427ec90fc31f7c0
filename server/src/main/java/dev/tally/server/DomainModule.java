package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.domain.access.AccessService;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.access.port.in.BootstrapAdmin;
import dev.tally.domain.access.port.in.IssueIdentityTokens;
import dev.tally.domain.access.port.in.ManageAccessKeys;
import dev.tally.domain.access.port.in.ManageDeveloperKeys;
import dev.tally.domain.access.port.out.AccessKeyStore;
import dev.tally.domain.access.port.out.DeveloperKeyStore;
import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.access.port.out.IdentityTokenStore;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.LargeReads;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.SecretBox;
import dev.tally.domain.common.Signer;
import dev.tally.domain.common.Telemetry;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.license.port.out.LicenseStore;
import dev.tally.domain.quota.QuotaService;
import dev.tally.domain.quota.port.out.UsageLedger;
import dev.tally.domain.quota.port.out.UsagePlanStore;
import dev.tally.domain.sync.IdentityPoolService;
import dev.tally.domain.sync.IdentitySyncService;
import dev.tally.domain.sync.SyncSessions;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.SyncDatasets;
import dev.tally.domain.sync.port.out.DatasetStore;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.domain.sync.port.out.IdentityRegistry;
import dev.tally.persistence.JooqServerSecrets;
import java.time.Clock;

/** The domain services, built by hand so the domain carries no framework annotations. */
final class DomainModule extends AbstractModule {

    /** Resolved only after the store is open (see {@link TallyServer#start()}): every server shares the secret. */
    @Provides
    @Singleton
    Signer signer(JooqServerSecrets secrets) {
        return new Signer(secrets.secret("signing"));
    }

    @Provides
    @Singleton
    PageTokens pageTokens(Signer signer) {
        return new PageTokens(signer);
    }

    /** Resolved only after the store is open: the database remembers which master key sealed its secrets. */
    @Provides
    @Singleton
    SecretBox secretBox(ServerConfig config, JooqServerSecrets secrets) {
        return MasterKey.load(config.masterKey(), config.dataDir(), secrets);
    }

    /** As many large GetUsage pages at once as there are cores, across both doors. */
    @Provides
    @Singleton
    LargeReads largeReads() {
        return new LargeReads(Runtime.getRuntime().availableProcessors());
    }

    @Provides
    @Singleton
    CallerRateLimits callerRateLimits(ServerConfig config) {
        return new CallerRateLimits(config.rateLimit(), config.rateBurst(), System::nanoTime);
    }

    @Provides
    @Singleton
    AccessService accessService(DeveloperKeyStore keys, AccessKeyStore accessKeys, SecretBox secrets, IdentityTokenStore tokens,
                                IdentityDirectory identities, PageTokens pageTokens, Clock clock, Telemetry telemetry) {
        return new AccessService(keys, accessKeys, secrets, tokens, identities, pageTokens, clock, telemetry);
    }

    @Provides
    ManageAccessKeys manageAccessKeys(AccessService access) {
        return access;
    }

    @Provides
    AuthenticateCaller authenticateCaller(AccessService access) {
        return access;
    }

    @Provides
    ManageDeveloperKeys manageDeveloperKeys(AccessService access) {
        return access;
    }

    @Provides
    IssueIdentityTokens issueIdentityTokens(AccessService access) {
        return access;
    }

    @Provides
    BootstrapAdmin bootstrapAdmin(AccessService access) {
        return access;
    }

    @Provides
    @Singleton
    ManageIdentityPools manageIdentityPools(IdentityRegistry registry, PageTokens pageTokens, Clock clock, ServerConfig config) {
        return new IdentityPoolService(registry, pageTokens, clock, config.region());
    }

    @Provides
    @Singleton
    IdentitySyncService identitySyncService(DatasetStore store, IdentityRegistry registry, Signer signer, PageTokens pageTokens,
                                            Clock clock, Telemetry telemetry) {
        return new IdentitySyncService(store, registry, new SyncSessions(signer, clock), pageTokens, clock, telemetry);
    }

    @Provides
    SyncDatasets syncDatasets(IdentitySyncService service) {
        return service;
    }

    @Provides
    DescribeSyncUsage describeSyncUsage(IdentitySyncService service) {
        return service;
    }

    @Provides
    @Singleton
    QuotaService quotaService(UsagePlanStore plans, UsageLedger ledger, SecretBox secrets, PageTokens pageTokens, Clock clock,
                              Telemetry telemetry) {
        return new QuotaService(plans, ledger, secrets, pageTokens, clock, telemetry);
    }

    @Provides
    @Singleton
    LicenseManager licenseManager(LicenseStore store, PageTokens pageTokens, Clock clock, ServerConfig config, Telemetry telemetry) {
        return new LicenseManager(store, pageTokens, clock, config.accountId(), telemetry);
    }
}
