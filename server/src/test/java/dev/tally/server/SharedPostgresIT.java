package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.persistence.Races;
import dev.tally.persistence.TestStores;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.CreateLicenseRequest;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.CreateApiKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanKeyRequest;
import dev.tally.proto.v1.CreateUsagePlanRequest;
import dev.tally.proto.v1.Decision;
import dev.tally.proto.v1.GetUsageRequest;
import dev.tally.proto.v1.QuotaPeriod;
import dev.tally.proto.v1.QuotaSettings;
import dev.tally.proto.v1.UpdateUsageRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.proto.v1.UsagePlanServiceGrpc.UsagePlanServiceBlockingStub;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.server.testing.TestServer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Tally servers sharing one PostgreSQL database, as a deployment behind a load balancer would. */
class SharedPostgresIT {

    @TempDir
    Path firstDir;
    @TempDir
    Path secondDir;

    @Test
    void twoServers_neverLetAPeriodPassItsLimit_andRetriesCountOnce() throws Exception {
        TestStores.PostgresSchema schema = TestStores.postgresSchema();
        try (TestServer first = TestServer.builder(firstDir).sharingDatabaseOf(schema.url()).start();
             TestServer second = TestServer.builder(secondDir).sharingDatabaseOf(schema.url()).masterKey(first.masterKey()).start()) {
            UsagePlanServiceBlockingStub firstPlans = first.asAdmin(UsagePlanServiceGrpc.newBlockingStub(first.channel()));
            UsagePlanServiceBlockingStub secondPlans = TestServer.withToken(
                    UsagePlanServiceGrpc.newBlockingStub(second.channel()), first.adminToken());
            String plan = firstPlans.createUsagePlan(CreateUsagePlanRequest.newBuilder().setName("shared")
                    .setQuota(QuotaSettings.newBuilder().setLimit(1000).setPeriod(QuotaPeriod.QUOTA_PERIOD_DAY)).build())
                    .getUsagePlan().getId();
            String key = firstPlans.createApiKey(CreateApiKeyRequest.newBuilder().setEnabled(true).build()).getApiKey().getId();
            firstPlans.createUsagePlanKey(CreateUsagePlanKeyRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build());
            ConsumeQuotaRequest call = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).build();

            List<Callable<Long>> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                UsagePlanServiceBlockingStub stub = t % 2 == 0 ? firstPlans : secondPlans;
                threads.add(() -> {
                    long allowed = 0;
                    for (int i = 0; i < 200; i++) {
                        if (stub.consumeQuota(call).getDecision() == Decision.DECISION_ALLOWED) {
                            allowed++;
                        }
                    }
                    return allowed;
                });
            }
            long allowed = Races.race(threads).stream().mapToLong(o -> {
                assertThat(o.failure()).isNull();
                return o.result();
            }).sum();
            secondPlans.updateUsage(UpdateUsageRequest.newBuilder().setUsagePlanId(plan).setKeyId(key).setRemaining(5).build());
            List<Callable<Long>> retries = new ArrayList<>();
            for (int t = 0; t < 10; t++) {
                UsagePlanServiceBlockingStub stub = t % 2 == 0 ? firstPlans : secondPlans;
                retries.add(() -> stub.consumeQuota(call.toBuilder().setIdempotencyKey("once").build()).getUsed());
            }
            List<Races.Outcome<Long>> retried = Races.race(retries);

            assertThat(allowed).isEqualTo(1000);
            assertThat(retried).extracting(Races.Outcome::result).containsOnly(1001L);
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            var report = TestServer.withToken(UsageServiceGrpc.newBlockingStub(second.channel()), first.adminToken())
                    .getUsage(GetUsageRequest.newBuilder().setUsagePlanId(plan).setStartDate(today).setEndDate(today).build());
            assertThat(report.getItemsMap().get(key).getDays(0).getUsed()).isEqualTo(1001);
            assertThat(report.getItemsMap().get(key).getDays(0).getRemaining()).isEqualTo(4);
        } finally {
            schema.close();
        }
    }

    @Test
    void twoServers_neverCheckOutPastMaxCount() throws Exception {
        TestStores.PostgresSchema schema = TestStores.postgresSchema();
        try (TestServer first = TestServer.builder(firstDir).sharingDatabaseOf(schema.url()).start();
             TestServer second = TestServer.builder(secondDir).sharingDatabaseOf(schema.url()).masterKey(first.masterKey()).start()) {
            var firstLicenses = first.asAdmin(LicenseServiceGrpc.newBlockingStub(first.channel()));
            var secondLicenses = TestServer.withToken(LicenseServiceGrpc.newBlockingStub(second.channel()), first.adminToken());
            CreateLicenseRequest request = LicensesIT.officeLicense().toBuilder().setEntitlements(0,
                    LicensesIT.officeLicense().getEntitlements(0).toBuilder().setMaxCount(10)).build();
            String arn = firstLicenses.createLicense(request).getLicenseArn();
            CheckoutLicenseRequest checkout = CheckoutLicenseRequest.newBuilder().setLicenseArn(arn)
                    .setCheckoutType(CheckoutType.CHECKOUT_TYPE_PROVISIONAL)
                    .addEntitlements(EntitlementData.newBuilder().setName("Seats").setValue("1").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                    .build();

            List<Callable<String>> threads = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                var stub = t % 2 == 0 ? firstLicenses : secondLicenses;
                threads.add(() -> stub.checkoutLicense(checkout).getLicenseConsumptionToken());
            }
            List<Races.Outcome<String>> outcomes = Races.race(threads);

            assertThat(outcomes).filteredOn(Races.Outcome::succeeded).hasSize(10);
            String consumed = TestServer.withToken(UsageServiceGrpc.newBlockingStub(second.channel()), first.adminToken())
                    .getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(arn).build())
                    .getLicenseUsage().getEntitlementUsages(0).getConsumedValue();
            assertThat(consumed).isEqualTo("10");
        } finally {
            schema.close();
        }
    }
}
