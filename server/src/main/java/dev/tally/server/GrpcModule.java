package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.access.port.in.IssueIdentityTokens;
import dev.tally.domain.access.port.in.ManageAccessKeys;
import dev.tally.domain.access.port.in.ManageDeveloperKeys;
import dev.tally.domain.common.CallObserver;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.LargeReads;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.quota.QuotaService;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.domain.sync.port.in.SyncDatasets;
import dev.tally.grpc.AccessGrpcService;
import dev.tally.grpc.AuthInterceptor;
import dev.tally.grpc.GrpcTransport;
import dev.tally.grpc.LicenseGrpcService;
import dev.tally.grpc.RateLimitInterceptor;
import dev.tally.grpc.SyncGrpcService;
import dev.tally.grpc.TransportSettings;
import dev.tally.grpc.UsageGrpcService;
import dev.tally.grpc.UsagePlanGrpcService;
import java.util.List;

/** The gRPC services Tally serves, and the transport that serves them. */
final class GrpcModule extends AbstractModule {

    @Provides
    @Singleton
    GrpcTransport transport(TransportSettings settings, AuthenticateCaller authenticator, CallerRateLimits rateLimits,
                            ManageDeveloperKeys developerKeys, ManageAccessKeys accessKeys, IssueIdentityTokens identityTokens,
                            ManageIdentityPools pools, SyncDatasets datasets, DescribeSyncUsage syncUsage, QuotaService quotas,
                            LicenseManager licenses, LargeReads largeReads, CallObserver observer) {
        return new GrpcTransport(settings, List.of(
                new AccessGrpcService(developerKeys, accessKeys, identityTokens),
                new SyncGrpcService(pools, datasets),
                new UsagePlanGrpcService(quotas, quotas),
                new LicenseGrpcService(licenses, licenses),
                new UsageGrpcService(syncUsage, quotas, licenses, largeReads)),
                new AuthInterceptor(authenticator), new RateLimitInterceptor(rateLimits), observer);
    }
}
