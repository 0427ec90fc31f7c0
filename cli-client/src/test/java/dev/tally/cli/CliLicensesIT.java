package dev.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.tally.proto.v1.CheckoutLicenseResponse;
import dev.tally.proto.v1.GetLicenseUsageResponse;
import org.junit.jupiter.api.Test;

/** The license subcommands against a real server. */
class CliLicensesIT extends CliTestBase {

    @Test
    void createCheckoutUsageExtendCheckIn() throws Exception {
        CliRun created = tally("licenses", "create", "--name", "Office", "--product", "Office Suite", "--sku", "OFF-1",
                "--entitlement", "name=Seats,unit=COUNT,max=10,overage=false,check-in=true",
                "--entitlement", "name=Tier,unit=NONE,value=gold", "--renew", "monthly", "--ttl-minutes", "30");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String arn = created.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];

        CheckoutLicenseResponse.Builder checkout = CheckoutLicenseResponse.newBuilder();
        JsonFormat.parser().merge(tally("-o", "json", "licenses", "checkout", "--arn", arn, "--entitlement", "Seats=3",
                "--entitlement", "Tier=gold", "--node-id", "build-7").out(), checkout);
        assertThat(checkout.getEntitlementsAllowedCount()).isEqualTo(2);
        assertThat(tally("licenses", "checkout", "--arn", arn, "--type", "perpetual", "--entitlement", "Seats=2").out()).contains("PERPETUAL");

        GetLicenseUsageResponse.Builder usage = GetLicenseUsageResponse.newBuilder();
        JsonFormat.parser().merge(tally("-o", "json", "licenses", "usage", arn).out(), usage);
        assertThat(usage.getLicenseUsage().getEntitlementUsages(0).getConsumedValue()).isEqualTo("5");
        assertThat(tally("licenses", "usage", arn).out()).contains("Seats").contains("5").contains("COUNT").contains("Tier")
                .contains("█████░░░░░  50%");

        assertThat(tally("licenses", "extend", checkout.getLicenseConsumptionToken()).exitCode()).isZero();
        assertThat(tally("licenses", "checkin", checkout.getLicenseConsumptionToken()).exitCode()).isZero();
        assertThat(tally("licenses", "usage", arn).out()).containsPattern("Seats\\s+2\\s+10");
        assertThat(tally("licenses", "checkin", checkout.getLicenseConsumptionToken()).err())
                .startsWith("error: NOT_FOUND (ResourceNotFoundException)");
        assertThat(tally("licenses", "checkout", "--arn", arn, "--entitlement", "Seats=9").err())
                .startsWith("error: RESOURCE_EXHAUSTED (NoEntitlementsAllowedException)");

        assertThat(tally("licenses", "set-status", "--yes", arn, "deactivated").out()).contains("DEACTIVATED").contains("2");
        assertThat(tally("licenses", "get", arn).out()).contains("Office").contains("Seats<=10");
        assertThat(tally("licenses", "list", "--all").out()).contains(arn);
        assertThat(tally("licenses", "checkout", "--arn", arn, "--entitlement", "Seats=1").err())
                .startsWith("error: FAILED_PRECONDITION (EntitlementNotAllowedException)");

        assertThat(tally("licenses", "delete", arn, "--yes", "--source-version", "1").err()).startsWith("error: ABORTED (ConflictException)");
        CliRun deleted = tally("licenses", "delete", arn, "--yes");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains(arn).contains("DELETED");
        assertThat(tally("licenses", "get", arn).out()).contains("DELETED");
        assertThat(tally("licenses", "delete", arn, "--yes").err()).startsWith("error: FAILED_PRECONDITION (ConflictException)");
    }

    @Test
    void badWords_areUsageErrors_namingTheAllowedValues() {
        CliRun badUnit = tally("licenses", "create", "--name", "x", "--product", "p", "--sku", "s", "--entitlement", "name=A,unit=parsecs,max=1");
        CliRun badStatus = tally("licenses", "set-status", "arn:aws:license-manager::123456789012:license:l-" + "0".repeat(32), "gone");

        assertThat(badUnit.exitCode()).isEqualTo(2);
        assertThat(badUnit.err()).contains("'parsecs' is not one of").contains("GIGABYTES_PER_SECOND");
        assertThat(badStatus.exitCode()).isEqualTo(2);
        assertThat(badStatus.err()).contains("AVAILABLE, DEACTIVATED, EXPIRED, DELETED");
    }
}
