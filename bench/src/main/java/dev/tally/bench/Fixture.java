package dev.tally.bench;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumeQuotaRequest;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntFunction;

/** Realistic data to read and write, created through the API itself. */
final class Fixture {

    static final int IDENTITIES = 200;
    static final int WRITERS = 64;
    static final int SPREAD_KEYS = 10_000;
    static final int REPORTED_KEYS = 500;

    String pool;
    final List<String> identities = new ArrayList<>();
    final ConcurrentLinkedQueue<SyncSlot> writers = new ConcurrentLinkedQueue<>();
    String hotPlan;
    String hotKey;
    String spreadPlan;
    final List<String> spreadKeys = new ArrayList<>();
    String licenseArn;

    /** One device syncing its own dataset: the session and the sync count of its ten records. */
    static final class SyncSlot {
        final String identity;
        final String session;
        long syncCount;

        SyncSlot(String identity, String session) {
            this.identity = identity;
            this.session = session;
        }
    }

    static Fixture seed(Clients clients) throws Exception {
        Fixture fixture = new Fixture();
        var sync = clients.blocking(SyncServiceGrpc::newBlockingStub);
        fixture.pool = sync.createIdentityPool(CreateIdentityPoolRequest.newBuilder().setIdentityPoolName("bench").build())
                .getIdentityPool().getIdentityPoolId();
        fixture.identities.addAll(parallel(clients, IDENTITIES + WRITERS, i -> Futures.transform(
                clients.future(SyncServiceGrpc::newFutureStub).createIdentity(CreateIdentityRequest.newBuilder()
                        .setIdentityPoolId(fixture.pool).build()), r -> r.getIdentityId(), MoreExecutors.directExecutor())));
        parallel(clients, IDENTITIES, i -> fixture.writeRecords(clients, fixture.identities.get(i), "profile", 20, 0));
        for (int i = 0; i < WRITERS; i++) {
            String identity = fixture.identities.get(IDENTITIES + i);
            String session = sync.listRecords(ListRecordsRequest.newBuilder().setIdentityPoolId(fixture.pool).setIdentityId(identity)
                    .setDatasetName("bench-writes").build()).getSyncSessionToken();
            fixture.writers.add(new SyncSlot(identity, session));
        }
        fixture.identities.subList(IDENTITIES, IDENTITIES + WRITERS).clear();

        var plans = clients.blocking(UsagePlanServiceGrpc::newBlockingStub);
        QuotaSettings huge = QuotaSettings.newBuilder().setLimit(1_000_000_000_000L).setPeriod(QuotaPeriod.QUOTA_PERIOD_MONTH).build();
        fixture.hotPlan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("hot").setQuota(huge).build()).getUsagePlan().getId();
        fixture.hotKey = plans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
        plans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(fixture.hotPlan).setKeyId(fixture.hotKey).build());
        fixture.spreadPlan = plans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("spread").setQuota(huge).build())
                .getUsagePlan().getId();
        fixture.spreadKeys.addAll(parallel(clients, SPREAD_KEYS, i -> Futures.transformAsync(
                clients.future(UsagePlanServiceGrpc::newFutureStub).createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()),
                created -> Futures.transform(clients.future(UsagePlanServiceGrpc::newFutureStub).createUsagePlanKey(
                        CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(fixture.spreadPlan).setKeyId(created.getApiKey().getId()).build()),
                        r -> created.getApiKey().getId(), MoreExecutors.directExecutor()),
                MoreExecutors.directExecutor())));
        Collections.sort(fixture.spreadKeys);
        // Every key has been metered before, as at a gateway that has been running for a while.
        parallel(clients, SPREAD_KEYS, i -> clients.future(UsagePlanServiceGrpc::newFutureStub).consumeQuota(ConsumeQuotaRequest.newBuilder()
                .setUsagePlanId(fixture.spreadPlan).setKeyId(fixture.spreadKeys.get(i)).build()));
        Instant now = Instant.now();
        parallel(clients, REPORTED_KEYS * 9, i -> clients.future(UsagePlanServiceGrpc::newFutureStub).recordUsage(RecordUsageRequest.newBuilder()
                .setUsagePlanId(fixture.spreadPlan).setKeyId(fixture.spreadKeys.get(i % REPORTED_KEYS)).setCount(1 + i % 50)
                .setTime(timestamp(now.minus(10L * (i / REPORTED_KEYS) + 1, ChronoUnit.DAYS))).build()));

        var licenses = clients.blocking(LicenseServiceGrpc::newBlockingStub);
        fixture.licenseArn = licenses.createLicense(CreateLicenseRequest.newBuilder().setLicenseName("bench").setProductName("Bench")
                .setProductSku("B-1").setIssuer(Issuer.newBuilder().setName("bench")).setHomeRegion("us-east-1")
                .setValidity(DatetimeRange.newBuilder().setBegin(timestamp(now.minus(1, ChronoUnit.DAYS))))
                .addEntitlements(Entitlement.newBuilder().setName("Seats").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT)
                        .setMaxCount(1_000_000_000L).setAllowCheckIn(true))
                .addEntitlements(Entitlement.newBuilder().setName("Tier").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_NONE).setValue("gold"))
                .build()).getLicenseArn();
        parallel(clients, 200, i -> clients.future(LicenseServiceGrpc::newFutureStub).checkoutLicense(fixture.checkout(CheckoutType.CHECKOUT_TYPE_PERPETUAL)));
        return fixture;
    }

    CheckoutLicenseRequest checkout(CheckoutType type) {
        return CheckoutLicenseRequest.newBuilder().setLicenseArn(licenseArn).setCheckoutType(type)
                .addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue("1").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .build();
    }

    ListenableFuture<?> writeRecords(Clients clients, String identity, String dataset, int count, long syncCount) {
        return Futures.transformAsync(clients.future(SyncServiceGrpc::newFutureStub).listRecords(ListRecordsRequest.newBuilder()
                .setIdentityPoolId(pool).setIdentityId(identity).setDatasetName(dataset).build()),
                listed -> clients.future(SyncServiceGrpc::newFutureStub).updateRecords(update(identity, dataset, listed.getSyncSessionToken(),
                        count, syncCount)), MoreExecutors.directExecutor());
    }

    UpdateRecordsRequest update(String identity, String dataset, String session, int count, long syncCount) {
        UpdateRecordsRequest.Builder request = UpdateRecordsRequest.newBuilder().setIdentityPoolId(pool).setIdentityId(identity)
                .setDatasetName(dataset).setSyncSessionToken(session).setDeviceId("bench");
        for (int r = 0; r < count; r++) {
            request.addRecordPatches(RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE).setKey("setting-" + r)
                    .setValue("value " + syncCount + " of " + r).setSyncCount(syncCount));
        }
        return request.build();
    }

    /** Runs {@code count} calls with up to 64 in flight; returns their results in order. */
    private static <T> List<T> parallel(Clients clients, int count, IntFunction<ListenableFuture<T>> call) throws Exception {
        List<ListenableFuture<T>> futures = new ArrayList<>();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(64);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            ListenableFuture<T> future = call.apply(i);
            future.addListener(slots::release, MoreExecutors.directExecutor());
            futures.add(future);
        }
        return Futures.allAsList(futures).get();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
