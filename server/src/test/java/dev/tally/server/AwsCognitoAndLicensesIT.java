package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.CreateAccessKeyRequest;
import dev.tally.proto.v1.CreateAccessKeyResponse;
import dev.tally.proto.v1.DescribeIdentityUsageRequest;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.IssueIdentityTokenResponse;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListIdentitiesRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.IdentityDescription;
import software.amazon.awssdk.services.cognitosync.CognitoSyncClient;
import software.amazon.awssdk.services.cognitosync.model.IdentityUsage;
import software.amazon.awssdk.services.cognitosync.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitosync.model.Operation;
import software.amazon.awssdk.services.cognitosync.model.Record;
import software.amazon.awssdk.services.cognitosync.model.ResourceConflictException;
import software.amazon.awssdk.services.cognitosync.model.ResourceNotFoundException;
import software.amazon.awssdk.services.licensemanager.LicenseManagerClient;
import software.amazon.awssdk.services.licensemanager.model.AccessDeniedException;
import software.amazon.awssdk.services.licensemanager.model.CheckoutLicenseResponse;
import software.amazon.awssdk.services.licensemanager.model.ConflictException;
import software.amazon.awssdk.services.licensemanager.model.EntitlementDataUnit;
import software.amazon.awssdk.services.licensemanager.model.EntitlementUsage;
import software.amazon.awssdk.services.licensemanager.model.GetLicenseResponse;
import software.amazon.awssdk.services.licensemanager.model.NoEntitlementsAllowedException;
import software.amazon.awssdk.services.licensemanager.model.RenewType;

/**
 * Cognito Identity, Cognito Sync and License Manager through AWS SDK for Java v2, the SDK strictest about
 * wire types (epoch-second timestamps in Cognito, ISO 8601 strings and string figures in License Manager):
 * every operation, the errors as the SDK's exception classes, identity credentials, and both doors reading
 * each other's writes.
 */
class AwsCognitoAndLicensesIT {

    @TempDir
    Path dir;
    private TestServer server;
    private AwsBasicCredentials developer;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        CreateAccessKeyResponse key = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel()))
                .createAccessKey(CreateAccessKeyRequest.newBuilder().setDescription("sdk test").build());
        developer = AwsBasicCredentials.create(key.getAccessKey().getAccessKeyId(), key.getSecretAccessKey());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private <B extends AwsClientBuilder<B, C>, C> C client(B builder, AwsCredentials credentials) {
        return builder.endpointOverride(URI.create(server.httpEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .build();
    }

    /** Cognito Identity's client, signing GetId too: the SDK sends it unsigned, and Tally creates identities for developers only. */
    private CognitoIdentityClient cognitoIdentity() {
        return CognitoIdentityClient.builder()
                .endpointOverride(URI.create(server.httpEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(developer))
                .httpClient(ApacheHttpClient.create())
                .authSchemeProvider(params -> List.of(AuthSchemeOption.builder().schemeId(AwsV4AuthScheme.SCHEME_ID)
                        .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cognito-identity")
                        .putSignerProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").build()))
                .build();
    }

    @Test
    void cognito_everyOperation_withEpochSecondTimestamps_andBothDoorsSeeEachOthersWrites() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (CognitoIdentityClient identity = cognitoIdentity();
             CognitoSyncClient sync = client(CognitoSyncClient.builder().httpClient(ApacheHttpClient.create()), developer)) {
            String pool = identity.createIdentityPool(r -> r.identityPoolName("sdk pool").allowUnauthenticatedIdentities(false)).identityPoolId();
            assertThat(identity.describeIdentityPool(r -> r.identityPoolId(pool)).identityPoolName()).isEqualTo("sdk pool");
            assertThat(identity.listIdentityPoolsPaginator(r -> r.maxResults(1)).identityPools()).extracting(p -> p.identityPoolId()).contains(pool);
            String me = identity.getId(r -> r.identityPoolId(pool)).identityId();
            String neighbour = identity.getId(r -> r.identityPoolId(pool)).identityId();
            assertThat(identity.listIdentities(r -> r.identityPoolId(pool).maxResults(10)).identities())
                    .extracting(IdentityDescription::identityId).containsExactlyInAnyOrder(me, neighbour);
            assertThat(identity.describeIdentity(r -> r.identityId(me)).creationDate()).isBetween(before, Instant.now());

            String session = sync.listRecords(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs")).syncSessionToken();
            Instant device = Instant.parse("2026-01-02T03:04:05.250Z");
            List<Record> stored = sync.updateRecords(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs").syncSessionToken(session)
                    .deviceId("phone").recordPatches(p -> p.op(Operation.REPLACE).key("theme").value("dark").syncCount(0L)
                            .deviceLastModifiedDate(device))).records();
            assertThat(stored).singleElement().satisfies(record -> {
                assertThat(record.syncCount()).isEqualTo(1);
                assertThat(record.deviceLastModifiedDate()).isEqualTo(device);
                assertThat(record.lastModifiedDate()).isBetween(before, Instant.now());
            });
            String stale = sync.listRecords(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs")).syncSessionToken();
            assertThatThrownBy(() -> sync.updateRecords(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs").syncSessionToken(stale)
                    .recordPatches(p -> p.op(Operation.REPLACE).key("theme").value("light").syncCount(0L))))
                    .isInstanceOf(ResourceConflictException.class);

            IdentityUsage usage = sync.describeIdentityUsage(r -> r.identityPoolId(pool).identityId(me)).identityUsage();
            assertThat(usage.dataStorage()).isEqualTo(9);
            assertThat(usage.datasetCount()).isEqualTo(1);
            assertThat(usage.lastModifiedDate()).isBetween(before, Instant.now());
            var poolUsage = sync.describeIdentityPoolUsage(r -> r.identityPoolId(pool)).identityPoolUsage();
            assertThat(poolUsage.dataStorage()).isEqualTo(9);
            assertThat(poolUsage.syncSessionsCount()).isEqualTo(2);
            assertThat(sync.listIdentityPoolUsage(r -> r.maxResults(10)).identityPoolUsages()).extracting(u -> u.identityPoolId()).contains(pool);
            assertThat(sync.listDatasets(r -> r.identityPoolId(pool).identityId(me)).datasets()).extracting(d -> d.datasetName())
                    .containsExactly("prefs");
            assertThat(sync.describeDataset(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs")).dataset().creationDate())
                    .isBetween(before, Instant.now());

            // The SDK wrote, gRPC reads; gRPC lists what the SDK created.
            assertThat(server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel())).describeIdentityUsage(DescribeIdentityUsageRequest
                    .newBuilder().setIdentityPoolId(pool).setIdentityId(me).build()).getIdentityUsage().getDataStorage()).isEqualTo(9);
            assertThat(server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel())).listIdentities(ListIdentitiesRequest.newBuilder()
                    .setIdentityPoolId(pool).build()).getIdentitiesCount()).isEqualTo(2);

            // Identity credentials: their own identity only, and Cognito Sync only.
            IssueIdentityTokenResponse issued = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).issueIdentityToken(
                    IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(me).build());
            var temporary = AwsSessionCredentials.create(issued.getAwsCredentials().getAccessKeyId(),
                    issued.getAwsCredentials().getSecretAccessKey(), issued.getAwsCredentials().getSessionToken());
            try (CognitoSyncClient deviceSync = client(CognitoSyncClient.builder().httpClient(ApacheHttpClient.create()), temporary);
                 LicenseManagerClient deviceLicenses = client(LicenseManagerClient.builder().httpClient(ApacheHttpClient.create()), temporary)) {
                assertThat(deviceSync.describeIdentityUsage(r -> r.identityPoolId(pool).identityId(me)).identityUsage().dataStorage()).isEqualTo(9);
                assertThatThrownBy(() -> deviceSync.describeIdentityUsage(r -> r.identityPoolId(pool).identityId(neighbour)))
                        .isInstanceOf(NotAuthorizedException.class);
                assertThatThrownBy(() -> deviceSync.describeIdentityPoolUsage(r -> r.identityPoolId(pool))).isInstanceOf(NotAuthorizedException.class);
                assertThatThrownBy(() -> deviceLicenses.listLicenses(r -> { })).isInstanceOf(AccessDeniedException.class);
            }

            assertThat(sync.deleteDataset(r -> r.identityPoolId(pool).identityId(me).datasetName("prefs")).dataset().numRecords()).isEqualTo(1);
            identity.deleteIdentityPool(r -> r.identityPoolId(pool));
            assertThatThrownBy(() -> sync.describeIdentityPoolUsage(r -> r.identityPoolId(pool))).isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> identity.describeIdentity(r -> r.identityId(me)))
                    .isInstanceOf(software.amazon.awssdk.services.cognitoidentity.model.ResourceNotFoundException.class);
        }
    }

    @Test
    void licenseManager_everyOperation_withIso8601Strings_andBothDoorsSeeEachOthersWrites() {
        try (LicenseManagerClient lm = client(LicenseManagerClient.builder().httpClient(ApacheHttpClient.create()), developer)) {
            String arn = lm.createLicense(r -> r.licenseName("Office").productName("Office Suite").productSKU("OFF-1")
                    .issuer(i -> i.name("Acme")).homeRegion("us-east-1").validity(v -> v.begin("2026-01-01T00:00:00Z"))
                    .entitlements(e -> e.name("Seats").unit(software.amazon.awssdk.services.licensemanager.model.EntitlementUnit.COUNT)
                            .maxCount(5L).allowCheckIn(true))
                    .beneficiary("customer").consumptionConfiguration(c -> c.renewType(RenewType.NONE)
                            .provisionalConfiguration(p -> p.maxTimeToLiveInMinutes(60)))
                    .clientToken(UUID.randomUUID().toString())).licenseArn();
            GetLicenseResponse license = lm.getLicense(r -> r.licenseArn(arn));
            assertThat(license.license().validity().begin()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(Instant.parse(license.license().createTime())).isBeforeOrEqualTo(Instant.now());
            String fingerprint = license.license().issuer().keyFingerprint();
            assertThat(fingerprint).endsWith(":Acme:issuer-fingerprint");

            CheckoutLicenseResponse checkout = lm.checkoutLicense(r -> r.productSKU("OFF-1").keyFingerprint(fingerprint)
                    .checkoutType(software.amazon.awssdk.services.licensemanager.model.CheckoutType.PROVISIONAL)
                    .entitlements(e -> e.name("Seats").value("2").unit(EntitlementDataUnit.COUNT)).clientToken("first"));
            assertThat(Instant.parse(checkout.expiration())).isAfter(Instant.parse(checkout.issuedAt()));
            assertThatThrownBy(() -> lm.checkoutLicense(r -> r.productSKU("OFF-1").keyFingerprint(fingerprint)
                    .checkoutType(software.amazon.awssdk.services.licensemanager.model.CheckoutType.PROVISIONAL)
                    .entitlements(e -> e.name("Seats").value("4").unit(EntitlementDataUnit.COUNT)).clientToken("too-many")))
                    .isInstanceOf(NoEntitlementsAllowedException.class);

            // The SDK wrote, gRPC reads; gRPC writes, the SDK reads.
            var grpcUsage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
            assertThat(grpcUsage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(arn).build()).getLicenseUsage()
                    .getEntitlementUsages(0).getConsumedValue()).isEqualTo("2");
            server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel())).checkoutLicense(CheckoutLicenseRequest.newBuilder()
                    .setLicenseArn(arn).setCheckoutType(CheckoutType.CHECKOUT_TYPE_PERPETUAL).setClientToken("grpc")
                    .addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue("1").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                    .build());
            List<EntitlementUsage> usage = lm.getLicenseUsage(r -> r.licenseArn(arn)).licenseUsage().entitlementUsages();
            assertThat(usage).singleElement().satisfies(u -> {
                assertThat(u.consumedValue()).isEqualTo("3");
                assertThat(u.maxCount()).isEqualTo("5");
            });

            assertThat(Instant.parse(lm.extendLicenseConsumption(r -> r.licenseConsumptionToken(checkout.licenseConsumptionToken())).expiration()))
                    .isAfterOrEqualTo(Instant.parse(checkout.expiration()));
            lm.checkInLicense(r -> r.licenseConsumptionToken(checkout.licenseConsumptionToken()));
            assertThat(lm.getLicenseUsage(r -> r.licenseArn(arn)).licenseUsage().entitlementUsages().get(0).consumedValue()).isEqualTo("1");
            assertThat(lm.listLicenses(r -> r.maxResults(10)).licenses()).extracting(l -> l.licenseArn()).containsExactly(arn);

            assertThatThrownBy(() -> lm.deleteLicense(r -> r.licenseArn(arn).sourceVersion("9"))).isInstanceOf(ConflictException.class);
            var deleted = lm.deleteLicense(r -> r.licenseArn(arn).sourceVersion(license.license().version()));
            assertThat(deleted.statusAsString()).isEqualTo("DELETED");
            assertThat(Instant.parse(deleted.deletionDate())).isBeforeOrEqualTo(Instant.now());
        }
    }
}
