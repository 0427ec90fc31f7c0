package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.CheckoutLicenseResponse;
import dev.tally.proto.v1.CheckoutType;
import dev.tally.proto.v1.ConsumptionConfiguration;
import dev.tally.proto.v1.CreateLicenseRequest;
import dev.tally.proto.v1.CreateLicenseResponse;
import dev.tally.proto.v1.DatetimeRange;
import dev.tally.proto.v1.Entitlement;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.EntitlementUnit;
import dev.tally.proto.v1.EntitlementUsage;
import dev.tally.proto.v1.ExtendLicenseConsumptionRequest;
import dev.tally.proto.v1.GetLicenseRequest;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.Issuer;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.LicenseServiceGrpc.LicenseServiceBlockingStub;
import dev.tally.proto.v1.LicenseStatus;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.ProvisionalConfiguration;
import dev.tally.proto.v1.RenewType;
import dev.tally.proto.v1.UpdateLicenseStatusRequest;
import dev.tally.proto.v1.UsageServiceGrpc;
import dev.tally.proto.v1.UsageServiceGrpc.UsageServiceBlockingStub;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Licenses through a real channel, with every error of the contract for these RPCs. */
class LicensesIT {

    @TempDir
    Path dataDir;
    private TestServer server;
    private LicenseServiceBlockingStub licenses;
    private UsageServiceBlockingStub usage;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
        licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
        usage = server.asAdmin(UsageServiceGrpc.newBlockingStub(server.channel()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static CreateLicenseRequest officeLicense() {
        Timestamp yesterday = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - 86_400).build();
        return CreateLicenseRequest.newBuilder()
                .setLicenseName("Office").setProductName("Office Suite").setProductSku("OFF-1")
                .setIssuer(Issuer.newBuilder().setName("Acme")).setHomeRegion("us-east-1").setBeneficiary("customer-1")
                .setValidity(DatetimeRange.newBuilder().setBegin(yesterday))
                .addEntitlements(Entitlement.newBuilder().setName("Seats").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT)
                        .setMaxCount(2).setAllowCheckIn(true))
                .addEntitlements(Entitlement.newBuilder().setName("Tier").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_NONE).setValue("gold"))
                .addEntitlements(Entitlement.newBuilder().setName("Storage").setUnit(EntitlementUnit.ENTITLEMENT_UNIT_GIGABYTES)
                        .setMaxCount(100).setOverage(true))
                .setConsumptionConfiguration(ConsumptionConfiguration.newBuilder().setRenewType(RenewType.RENEW_TYPE_MONTHLY)
                        .setProvisionalConfiguration(ProvisionalConfiguration.newBuilder().setMaxTimeToLiveInMinutes(30)))
                .build();
    }

    @Test
    void createCheckoutUsageCheckIn_endToEnd() {
        CreateLicenseResponse created = licenses.createLicense(officeLicense());
        assertThat(created.getLicenseArn()).matches("arn:aws:license-manager::123456789012:license:l-[0-9a-f]{32}");
        assertThat(created.getStatus()).isEqualTo(LicenseStatus.LICENSE_STATUS_AVAILABLE);
        assertThat(created.getVersion()).isEqualTo("1");
        var license = licenses.getLicense(GetLicenseRequest.newBuilder().setLicenseArn(created.getLicenseArn()).build()).getLicense();
        assertThat(license.getEntitlementsList()).extracting(Entitlement::getName).containsExactly("Seats", "Tier", "Storage");
        assertThat(licenses.listLicenses(ListLicensesRequest.getDefaultInstance()).getLicensesCount()).isEqualTo(1);

        CheckoutLicenseResponse checkout = licenses.checkoutLicense(checkout(created.getLicenseArn(), CheckoutType.CHECKOUT_TYPE_PROVISIONAL)
                .addEntitlements(data("Seats", "", EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .addEntitlements(data("Tier", "gold", EntitlementUnit.ENTITLEMENT_UNIT_NONE))
                .addEntitlements(data("Storage", "500", EntitlementUnit.ENTITLEMENT_UNIT_GIGABYTES)).build());
        assertThat(checkout.getLicenseConsumptionToken()).matches("[0-9a-f]{32}");
        assertThat(checkout.getExpiration().getSeconds() - checkout.getIssuedAt().getSeconds()).isEqualTo(1800);
        assertThat(checkout.getEntitlementsAllowedList()).extracting(EntitlementData::getValue).containsExactly("1", "gold", "500");
        assertThat(checkout.getNodeId()).isEqualTo("node-1");

        assertThat(usage(created.getLicenseArn())).extracting(u -> u.getName() + "=" + u.getConsumedValue() + "/" + u.getMaxCount() + " " + u.getUnit())
                .containsExactly("Seats=1/2 ENTITLEMENT_UNIT_COUNT", "Tier=0/ ENTITLEMENT_UNIT_NONE", "Storage=500/100 ENTITLEMENT_UNIT_GIGABYTES");

        var extended = licenses.extendLicenseConsumption(ExtendLicenseConsumptionRequest.newBuilder()
                .setLicenseConsumptionToken(checkout.getLicenseConsumptionToken()).build());
        assertThat(extended.getExpiration().getSeconds()).isGreaterThanOrEqualTo(checkout.getExpiration().getSeconds());
        assertRpcError(() -> licenses.checkInLicense(CheckInLicenseRequest.newBuilder()
                .setLicenseConsumptionToken(checkout.getLicenseConsumptionToken()).build()), Status.Code.FAILED_PRECONDITION, "ConflictException");
    }

    @Test
    void enumNumbersTheContractDoesNotDefine_areRefused_andCreateNothing() {
        for (int number : new int[] {99, -1}) {
            CreateLicenseRequest request = officeLicense().toBuilder().setConsumptionConfiguration(
                    officeLicense().getConsumptionConfiguration().toBuilder().setRenewTypeValue(number)).build();
            assertThat(assertRpcError(() -> licenses.createLicense(request), Status.Code.INVALID_ARGUMENT, "ValidationException")
                    .getStatus().getDescription()).contains("renew_type " + number);
        }
        assertThat(licenses.listLicenses(ListLicensesRequest.getDefaultInstance()).getLicensesCount()).isZero();
    }

    @Test
    void repeatedFieldsAndValues_areBounded_andPastTheBoundNothingIsCreated() {
        CreateLicenseRequest.Builder many = officeLicense().toBuilder().clearEntitlements();
        for (int i = 0; i < 101; i++) {
            many.addEntitlements(Entitlement.newBuilder().setName("e" + i).setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT).setMaxCount(1));
        }
        assertThat(assertRpcError(() -> licenses.createLicense(many.build()), Status.Code.INVALID_ARGUMENT, "ValidationException")
                .getStatus().getDescription()).isEqualTo("a license has 1..100 entitlements, not 101");
        CreateLicenseRequest longTier = officeLicense().toBuilder().setEntitlements(1, Entitlement.newBuilder().setName("Tier")
                .setUnit(EntitlementUnit.ENTITLEMENT_UNIT_NONE).setValue("g".repeat(1025))).build();
        assertRpcError(() -> licenses.createLicense(longTier), Status.Code.INVALID_ARGUMENT, "ValidationException");
        assertThat(licenses.listLicenses(ListLicensesRequest.getDefaultInstance()).getLicensesCount()).isZero();

        many.removeEntitlements(100);
        String arn = licenses.createLicense(many.build()).getLicenseArn();
        CheckoutLicenseRequest.Builder checkout = checkout(arn, CheckoutType.CHECKOUT_TYPE_PROVISIONAL);
        for (int i = 0; i < 101; i++) {
            checkout.addEntitlements(data("e" + i, "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT));
        }
        assertThat(assertRpcError(() -> licenses.checkoutLicense(checkout.build()), Status.Code.INVALID_ARGUMENT, "ValidationException")
                .getStatus().getDescription()).isEqualTo("a checkout requests 1..100 entitlements, not 101");
        assertThat(usage(arn)).allSatisfy(entitlement -> assertThat(entitlement.getConsumedValue()).isEqualTo("0"));
    }

    @Test
    void everyErrorOfTheContract_hasItsStatusAndReason_andConsumesNothing() {
        String arn = licenses.createLicense(officeLicense()).getLicenseArn();
        CheckoutLicenseRequest.Builder base = checkout(arn, CheckoutType.CHECKOUT_TYPE_PROVISIONAL);

        assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", "3", EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()),
                Status.Code.RESOURCE_EXHAUSTED, "NoEntitlementsAllowedException");
        assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .addEntitlements(data("Cores", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()),
                Status.Code.NOT_FOUND, "NoEntitlementsAllowedException");
        assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_BYTES)).build()),
                Status.Code.INVALID_ARGUMENT, "ValidationException");
        assertRpcError(() -> licenses.checkoutLicense(base.clone().build()), Status.Code.INVALID_ARGUMENT, "ValidationException");
        // A huge value or name is quoted short in the error, never echoed whole (it once broke clients' metadata limits).
        String huge = "9".repeat(7 * 1024) + "x";
        assertThat(assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", huge,
                EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()), Status.Code.INVALID_ARGUMENT, "ValidationException")
                .getStatus().getDescription()).hasSizeLessThan(300);
        assertThat(assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("n".repeat(1000), "1",
                EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()), Status.Code.NOT_FOUND, "NoEntitlementsAllowedException")
                .getStatus().getDescription()).hasSizeLessThan(400);
        assertRpcError(() -> licenses.checkoutLicense(checkout(arn, CheckoutType.CHECKOUT_TYPE_UNSPECIFIED)
                .addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()), Status.Code.INVALID_ARGUMENT, "ValidationException");
        assertThat(usage(arn).get(0).getConsumedValue()).isEqualTo("0");

        String missing = "arn:aws:license-manager::123456789012:license:l-" + "0".repeat(32);
        assertRpcError(() -> licenses.checkoutLicense(checkout(missing, CheckoutType.CHECKOUT_TYPE_PROVISIONAL)
                .addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()), Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> usage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(missing).build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> usage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn("not-an-arn").build()),
                Status.Code.INVALID_ARGUMENT, "ValidationException");
        assertRpcError(() -> licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken("f".repeat(32)).build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertRpcError(() -> licenses.createLicense(officeLicense().toBuilder().setHomeRegion("").build()),
                Status.Code.INVALID_ARGUMENT, "ValidationException");
        assertRpcError(() -> licenses.createLicense(officeLicense().toBuilder().addEntitlements(Entitlement.newBuilder().setName("Seats")
                .setUnit(EntitlementUnit.ENTITLEMENT_UNIT_COUNT).setMaxCount(1)).build()), Status.Code.INVALID_ARGUMENT, "ValidationException");

        String perpetual = licenses.checkoutLicense(checkout(arn, CheckoutType.CHECKOUT_TYPE_PERPETUAL)
                .addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT)).build()).getLicenseConsumptionToken();
        assertRpcError(() -> licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(perpetual).build()),
                Status.Code.FAILED_PRECONDITION, "ConflictException");
        String token = licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .setClientToken("once").build()).getLicenseConsumptionToken();
        assertThat(licenses.checkoutLicense(base.clone().addEntitlements(data("Seats", "1", EntitlementUnit.ENTITLEMENT_UNIT_COUNT))
                .setClientToken("once").build()).getLicenseConsumptionToken()).isEqualTo(token);
        assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Storage", "1", EntitlementUnit.ENTITLEMENT_UNIT_GIGABYTES))
                .setClientToken("once").build()), Status.Code.ALREADY_EXISTS, "ConflictException");
        licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(token).build());
        assertRpcError(() -> licenses.checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(token).build()),
                Status.Code.NOT_FOUND, "ResourceNotFoundException");
        assertThat(usage(arn).get(0).getConsumedValue()).isEqualTo("1");

        licenses.updateLicenseStatus(UpdateLicenseStatusRequest.newBuilder().setLicenseArn(arn).setStatus(LicenseStatus.LICENSE_STATUS_DEACTIVATED).build());
        assertRpcError(() -> licenses.checkoutLicense(base.clone().addEntitlements(data("Storage", "1", EntitlementUnit.ENTITLEMENT_UNIT_GIGABYTES)).build()),
                Status.Code.FAILED_PRECONDITION, "EntitlementNotAllowedException");
        assertRpcError(() -> licenses.updateLicenseStatus(UpdateLicenseStatusRequest.newBuilder().setLicenseArn(arn).build()),
                Status.Code.INVALID_ARGUMENT, "ValidationException");
    }

    private java.util.List<EntitlementUsage> usage(String arn) {
        return usage.getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(arn).build()).getLicenseUsage().getEntitlementUsagesList();
    }

    private static CheckoutLicenseRequest.Builder checkout(String arn, CheckoutType type) {
        return CheckoutLicenseRequest.newBuilder().setLicenseArn(arn).setCheckoutType(type).setNodeId("node-1");
    }

    private static EntitlementData data(String name, String value, EntitlementUnit unit) {
        return EntitlementData.newBuilder().setName(name).setValue(value).setUnit(unit).build();
    }
}
