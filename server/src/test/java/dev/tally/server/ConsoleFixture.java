package dev.tally.server;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumptionConfiguration;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateIdentityPoolRequest;
import dev.tally.proto.v1.CreateIdentityRequest;
import dev.tally.proto.v1.CreateLicenseRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.DatetimeRange;
import dev.tally.proto.v1.Entitlement;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.IssueIdentityTokenRequest;
import dev.tally.proto.v1.Issuer;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListRecordsRequest;
import dev.tally.proto.v1.Operation;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.RecordPatch;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the console tests look at, made through gRPC: a plan with keys and a known pattern of daily use, a
 * license with checkouts past its maximum, and a pool with identities that store data.
 */
final class ConsoleFixture {

    /** How many days, up to today, the plan's keys have used. */
    static final int DAYS = 14;

    final String planId;
    final List<String> keyIds = new ArrayList<>();
    final String licenseArn;
    final String poolId;
    final String identityId;
    final String identityToken;

    ConsoleFixture(TestServer server) {
        var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
        planId = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("gold")
                .setQuota(QuotaSettings.newBuilder().setLimit(1000).setPeriod(QuotaPeriod.QUOTA_PERIOD_MONTH)).build()).getUsagePlan().getId();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int k = 0; k < 3; k++) {
            String key = plans.createApiKey(CreateApiKeyRequest.newBuilder().setName("key-" + k).setEnabled(true).build()).getApiKey().getId();
            plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(planId).setKeyId(key).build());
            keyIds.add(key);
            // Over the last two weeks, key k uses (k + 1) times a number that rises and falls with the day.
            for (LocalDate day = today.minusDays(DAYS - 1); !day.isAfter(today); day = day.plusDays(1)) {
                long count = (k + 1) * (4L + day.toEpochDay() * 7 % 9);
                plans.recordUsage(RecordUsageRequest.newBuilder().setUsagePlanId(planId).setKeyId(key).setCount(count)
                        .setTime(Timestamp.newBuilder().setSeconds(day.atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 60))
                        .setIdempotencyKey(key + "/" + day).build());
            }
        }

        var licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
        licenseArn = licenses.createLicense(CreateLicenseRequest.newBuilder().setLicenseName("Office").setProductName("Office Suite")
                .setProductSku("OFF-1").setIssuer(Issuer.newBuilder().setName("Acme")).setHomeRegion("us-east-1")
                .setValidity(DatetimeRange.newBuilder().setBegin(Timestamp.newBuilder().setSeconds(1_767_225_600)))
                .addEntitlements(Entitlement.newBuilder().setName("Seats").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT).setMaxCount(5)
                        .setOverage(true).setAllowCheckIn(true))
                .addEntitlements(Entitlement.newBuilder().setName("Tier").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_NONE).setValue("gold"))
                .setBeneficiary("customer-1").setConsumptionConfiguration(ConsumptionConfiguration.getDefaultInstance())
                .build()).getLicenseArn();
        for (String seats : List.of("2", "3", "2")) {
            licenses.checkoutLicense(CheckoutLicenseRequest.newBuilder().setLicenseArn(licenseArn)
                    .setCheckoutType(CheckoutType.CHECKOUT_TYPE_PROVISIONAL).setNodeId("build-" + seats)
                    .addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue(seats).setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                    .build());
        }

        var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
        poolId = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("phones").build())
                .getIdentityPool().getIdentityPoolId();
        identityId = sync.createIdentity(CreateIdentityRequest.newBuilder().setIdentityPoolId(poolId).build()).getIdentityId();
        String session = sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(poolId).setIdentityId(identityId)
                .setDatasetName("prefs").build()).getSyncSessionToken();
        sync.updateRecords(UpdateRecordsRequest.newBuilder().setIdentityPoolId(poolId).setIdentityId(identityId).setDatasetName("prefs")
                .setSyncSessionToken(session).setDeviceId("phone-1")
                .addRecordPatches(RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE).setKey("theme").setValue("dark")).build());
        identityToken = server.asAdmin(AccessServiceGrpc.newBlockingStub(server.channel())).issueIdentityToken(
                IssueIdentityTokenRequest.newBuilder().setIdentityPoolId(poolId).setIdentityId(identityId).build()).getToken();
    }
}
