package dev.tally.server;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.tally.aws.AwsEndpoint;
import dev.tally.aws.AwsService;
import dev.tally.aws.AwsSettings;
import dev.tally.aws.cognito.CognitoIdentityService;
import dev.tally.aws.cognito.CognitoSyncService;
import dev.tally.aws.licensemanager.LicenseManagerService;
import dev.tally.aws.apigateway.ApiGatewayService;
import dev.tally.console.ConsoleDoor;
import dev.tally.http.HttpListener;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.common.CallerRateLimits;
import dev.tally.domain.common.LargeReads;
import dev.tally.domain.license.LicenseManager;
import dev.tally.domain.quota.QuotaService;
import dev.tally.domain.sync.port.in.DescribeSyncUsage;
import dev.tally.domain.sync.port.in.ManageIdentityPools;
import dev.tally.domain.sync.port.in.SyncDatasets;
import dev.tally.http.HttpReply;
import dev.tally.http.HttpRoute;
import dev.tally.domain.common.CallObserver;
import dev.tally.telemetry.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The HTTP listener: the AWS-compatible door and the services it serves, the console, and the plain pages. */
final class AwsModule extends AbstractModule {

    @Provides
    @Singleton
    AwsSettings awsSettings(ServerConfig config) {
        return new AwsSettings(config.host(), config.httpPort().orElse(0), config.maxMessageBytes(),
                config.tlsCert().map(cert -> new HttpListener.Tls(cert, config.tlsKey().orElseThrow(), config.tlsClientCa())),
                config.awsAuth() == ServerConfig.AwsAuth.OPEN, DeveloperKeyId.BOOTSTRAP.value(), ConfigModule.DATABASE_POOL_SIZE,
                config.shutdownGrace());
    }

    @Provides
    @Singleton
    AwsEndpoint awsEndpoint(AwsSettings settings, AuthenticateCaller authenticator, CallerRateLimits rateLimits, QuotaService quotas,
                            ManageIdentityPools pools, SyncDatasets datasets, DescribeSyncUsage syncUsage, LicenseManager licenses,
                            LargeReads largeReads, CallObserver observer, Metrics metrics, Readiness readiness, ConsoleDoor console) {
        List<AwsService> services = List.of(
                new ApiGatewayService(quotas, quotas, quotas, largeReads),
                new CognitoIdentityService(pools),
                new CognitoSyncService(datasets, syncUsage),
                new LicenseManagerService(licenses, licenses, licenses));
        return new AwsEndpoint(settings, authenticator, rateLimits, services, observer, List.of(
                HttpRoute.get("/metrics", () -> new HttpReply(200, Map.of("Content-Type", Metrics.CONTENT_TYPE),
                        metrics.scrape().getBytes(StandardCharsets.UTF_8))),
                HttpRoute.get("/healthz", () -> HttpReply.text(200, "ok\n")),
                console.route(),
                HttpRoute.get("/readyz", () -> readiness.ready() ? HttpReply.text(200, "ready\n")
                        : HttpReply.text(503, readiness.storeUp() ? "shutting down\n" : "the store does not answer\n"))));
    }
}
