package dev.tally.cli;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckInLicenseResponse;
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
import dev.tally.proto.v1.ExtendLicenseConsumptionResponse;
import dev.tally.proto.v1.DeleteLicenseRequest;
import dev.tally.proto.v1.DeleteLicenseResponse;
import dev.tally.proto.v1.GetLicenseRequest;
import dev.tally.proto.v1.GetLicenseResponse;
import dev.tally.proto.v1.GetLicenseUsageRequest;
import dev.tally.proto.v1.GetLicenseUsageResponse;
import dev.tally.proto.v1.Issuer;
import dev.tally.proto.v1.License;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.LicenseStatus;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.ListLicensesResponse;
import dev.tally.proto.v1.ProvisionalConfiguration;
import dev.tally.proto.v1.RenewType;
import dev.tally.proto.v1.UpdateLicenseStatusRequest;
import dev.tally.proto.v1.UpdateLicenseStatusResponse;
import dev.tally.proto.v1.UsageServiceGrpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

@Command(name = "licenses", description = "Licenses, their entitlements and checkouts.",
        subcommands = {LicensesCommand.Create.class, LicensesCommand.Get.class, LicensesCommand.ListLicenses.class,
                LicensesCommand.Usage.class, LicensesCommand.SetStatus.class, LicensesCommand.Delete.class, LicensesCommand.Checkout.class,
                LicensesCommand.CheckIn.class, LicensesCommand.Extend.class})
final class LicensesCommand {

    private static final List<String> HEADERS = List.of("LICENSE_ARN", "NAME", "PRODUCT", "SKU", "STATUS", "VERSION", "ENTITLEMENTS");

    static List<String> row(License license) {
        List<String> entitlements = license.getEntitlementsList().stream().map(e -> e.getName() + (e.hasMaxCount() ? "<=" + e.getMaxCount() : "="
                + e.getValue())).toList();
        return List.of(license.getLicenseArn(), license.getLicenseName(), license.getProductName(), license.getProductSku(),
                license.getStatus().name().replace("LICENSE_STATUS_", ""), license.getVersion(), String.join(",", entitlements));
    }

    static String unitName(EntitlementUnit unit) {
        return unit.name().replace("ENTITLEMENT_UNIT_", "");
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    @Command(name = "create", description = "Creates a license.")
    static final class Create extends TallyCommand {
        @Option(names = "--name", required = true, description = "The license's name.")
        String name;

        @Option(names = "--product", required = true, description = "The product it licenses.")
        String product;

        @Option(names = "--sku", required = true, description = "The product's SKU.")
        String sku;

        @Option(names = "--entitlement", required = true, paramLabel = "SPEC",
                description = "name=Seats,unit=COUNT,max=10,overage=false,check-in=true; for unit NONE: name=Tier,unit=NONE,value=gold")
        List<String> entitlements;

        @Option(names = "--issuer", defaultValue = "tally", description = "Who issues it (default ${DEFAULT-VALUE}).")
        String issuer;

        @Option(names = "--home-region", defaultValue = "us-east-1", description = "Its home region (default ${DEFAULT-VALUE}).")
        String homeRegion;

        @Option(names = "--beneficiary", defaultValue = "", description = "Who it is for.")
        String beneficiary;

        @Option(names = "--valid-from", description = "Start of validity: 2026-03-01T09:30:00Z, a local time (UTC), a day or today (default now).")
        Instant validFrom;

        @Option(names = "--valid-until", description = "End of validity, as --valid-from (default none).")
        Instant validUntil;

        @Option(names = "--renew", defaultValue = "NONE", description = "When perpetual consumption restarts: NONE, WEEKLY or MONTHLY.")
        String renew;

        @Option(names = "--ttl-minutes", defaultValue = "0", description = "Provisional checkout lifetime (default 60).")
        int ttlMinutes;

        @Option(names = "--client-token", defaultValue = "", description = "Makes a retry create one license.")
        String clientToken;

        @Override
        int run(Session session, Output output) {
            DatetimeRange.Builder validity = DatetimeRange.newBuilder().setBegin(timestamp(validFrom == null ? Instant.now() : validFrom));
            if (validUntil != null) {
                validity.setEnd(timestamp(validUntil));
            }
            CreateLicenseRequest.Builder request = CreateLicenseRequest.newBuilder()
                    .setLicenseName(name).setProductName(product).setProductSku(sku).setIssuer(Issuer.newBuilder().setName(issuer))
                    .setHomeRegion(homeRegion).setBeneficiary(beneficiary).setValidity(validity).setClientToken(clientToken)
                    .setConsumptionConfiguration(ConsumptionConfiguration.newBuilder()
                            .setRenewType(Enums.parse(spec, RenewType.class, "RENEW_TYPE_", "--renew", renew))
                            .setProvisionalConfiguration(ProvisionalConfiguration.newBuilder().setMaxTimeToLiveInMinutes(ttlMinutes)));
            entitlements.forEach(spec -> request.addEntitlements(parse(spec)));
            CreateLicenseResponse response = session.stub(LicenseServiceGrpc::newBlockingStub).createLicense(request.build());
            output.print(response, List.of("LICENSE_ARN", "STATUS", "VERSION"), List.of(List.of(response.getLicenseArn(),
                    response.getStatus().name().replace("LICENSE_STATUS_", ""), response.getVersion())));
            return 0;
        }

        private Entitlement parse(String spec) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String part : spec.split(",")) {
                String[] pair = part.split("=", 2);
                if (pair.length != 2) {
                    throw new ParameterException(this.spec.commandLine(), "--entitlement '" + spec + "': expected key=value pairs separated by commas");
                }
                fields.put(pair[0].trim().toLowerCase(Locale.ROOT), pair[1].trim());
            }
            Entitlement.Builder entitlement = Entitlement.newBuilder()
                    .setName(fields.getOrDefault("name", ""))
                    .setUnit(Enums.parse(this.spec, EntitlementUnit.class, "ENTITLEMENT_UNIT_", "--entitlement unit", fields.getOrDefault("unit", "COUNT")))
                    .setValue(fields.getOrDefault("value", ""))
                    .setOverage(Boolean.parseBoolean(fields.getOrDefault("overage", "false")))
                    .setAllowCheckIn(Boolean.parseBoolean(fields.getOrDefault("check-in", "false")));
            if (fields.containsKey("max")) {
                try {
                    entitlement.setMaxCount(Long.parseLong(fields.get("max")));
                } catch (NumberFormatException e) {
                    throw new ParameterException(this.spec.commandLine(), "--entitlement '" + spec + "': max must be a whole number");
                }
            }
            return entitlement.build();
        }
    }

    @Command(name = "get", description = "Shows one license.")
    static final class Get extends TallyCommand {
        @Parameters(paramLabel = "LICENSE_ARN", description = "The license.")
        String arn;

        @Override
        int run(Session session, Output output) {
            GetLicenseResponse response = session.stub(LicenseServiceGrpc::newBlockingStub)
                    .getLicense(GetLicenseRequest.newBuilder().setLicenseArn(arn).build());
            output.print(response, HEADERS, List.of(row(response.getLicense())));
            return 0;
        }
    }

    @Command(name = "list", description = "Lists licenses.")
    static final class ListLicenses extends TallyCommand {
        @Mixin
        PageOptions paging;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(LicenseServiceGrpc::newBlockingStub);
            ListLicensesResponse response = paging.fetch(spec, (size, token) -> stub.listLicenses(
                    ListLicensesRequest.newBuilder().setPageSize(size).setPageToken(token).build()));
            output.print(response, HEADERS, response.getLicensesList().stream().map(LicensesCommand::row).toList());
            return 0;
        }
    }

    @Command(name = "usage", description = "Consumed versus maximum per entitlement (GetLicenseUsage).")
    static final class Usage extends TallyCommand {
        @Parameters(paramLabel = "LICENSE_ARN", description = "The license.")
        String arn;

        @Override
        int run(Session session, Output output) {
            GetLicenseUsageResponse response = session.stub(UsageServiceGrpc::newBlockingStub)
                    .getLicenseUsage(GetLicenseUsageRequest.newBuilder().setLicenseArn(arn).build());
            List<List<String>> rows = new ArrayList<>();
            for (EntitlementUsage usage : response.getLicenseUsage().getEntitlementUsagesList()) {
                rows.add(List.of(usage.getName(), usage.getConsumedValue(), usage.getMaxCount().isEmpty() ? "-" : usage.getMaxCount(),
                        unitName(usage.getUnit()), UsageChart.consumedBar(usage.getConsumedValue(), usage.getMaxCount())));
            }
            output.print(response, List.of("ENTITLEMENT", "CONSUMED", "MAX", "UNIT", "USE"), rows);
            return 0;
        }
    }

    @Command(name = "set-status", description = "Sets a license's status: AVAILABLE, DEACTIVATED, EXPIRED or DELETED.")
    static final class SetStatus extends TallyCommand {
        @Parameters(index = "0", paramLabel = "LICENSE_ARN", description = "The license.")
        String arn;

        @Parameters(index = "1", paramLabel = "STATUS", description = "The new status.")
        String status;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            LicenseStatus chosen = Enums.parse(spec, LicenseStatus.class, "LICENSE_STATUS_", "STATUS", status);
            if (chosen == LicenseStatus.LICENSE_STATUS_DEACTIVATED || chosen == LicenseStatus.LICENSE_STATUS_DELETED) {
                confirmation.confirm("set license " + arn + " to " + status.toUpperCase(java.util.Locale.ROOT)
                        + " (its checkouts are refused from then on)");
            }
            UpdateLicenseStatusResponse response = session.stub(LicenseServiceGrpc::newBlockingStub).updateLicenseStatus(
                    UpdateLicenseStatusRequest.newBuilder().setLicenseArn(arn).setStatus(chosen).build());
            output.print(response, HEADERS, List.of(row(response.getLicense())));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes a license: checkouts are refused from then on, and it stays readable as DELETED.")
    static final class Delete extends TallyCommand {
        @Parameters(paramLabel = "LICENSE_ARN", description = "The license.")
        String arn;

        @Option(names = "--source-version", description = "Delete only if the license is still at this version (default: as read now).")
        String sourceVersion;

        @picocli.CommandLine.Mixin
        Confirmation confirmation;

        @Override
        int run(Session session, Output output) {
            confirmation.confirm("delete license " + arn + " (its checkouts are refused from then on)");
            var stub = session.stub(LicenseServiceGrpc::newBlockingStub);
            String version = sourceVersion != null ? sourceVersion
                    : stub.getLicense(GetLicenseRequest.newBuilder().setLicenseArn(arn).build()).getLicense().getVersion();
            DeleteLicenseResponse response = stub.deleteLicense(DeleteLicenseRequest.newBuilder().setLicenseArn(arn).setSourceVersion(version).build());
            output.print(response, List.of("LICENSE_ARN", "STATUS", "DELETED"),
                    List.of(List.of(arn, response.getStatus().name().replace("LICENSE_STATUS_", ""), Output.time(response.getDeletionDate()))));
            return 0;
        }
    }

    @Command(name = "checkout", description = "Checks out entitlements: all or nothing (CheckoutLicense).")
    static final class Checkout extends TallyCommand {
        @Option(names = "--arn", required = true, description = "The license.")
        String arn;

        @Option(names = "--type", defaultValue = "provisional", description = "provisional (default) or perpetual.")
        String type;

        @Option(names = "--entitlement", required = true, paramLabel = "NAME=VALUE",
                description = "An entitlement and amount (or tier for unit NONE), e.g. Seats=2; repeatable.")
        Map<String, String> entitlements;

        @Option(names = "--client-token", defaultValue = "", description = "Makes a retry check out once.")
        String clientToken;

        @Option(names = "--node-id", defaultValue = "", description = "The node the checkout is for.")
        String nodeId;

        @Option(names = "--beneficiary", defaultValue = "", description = "Who the checkout is for.")
        String beneficiary;

        @Override
        int run(Session session, Output output) {
            var stub = session.stub(LicenseServiceGrpc::newBlockingStub);
            // The CLI looks the units up on the license, so users name entitlements and amounts only.
            Map<String, EntitlementUnit> units = new LinkedHashMap<>();
            stub.getLicense(GetLicenseRequest.newBuilder().setLicenseArn(arn).build()).getLicense().getEntitlementsList()
                    .forEach(e -> units.put(e.getName(), e.getUnit()));
            CheckoutLicenseRequest.Builder request = CheckoutLicenseRequest.newBuilder().setLicenseArn(arn)
                    .setCheckoutType(Enums.parse(spec, CheckoutType.class, "CHECKOUT_TYPE_", "--type", type))
                    .setClientToken(clientToken).setNodeId(nodeId).setBeneficiary(beneficiary);
            entitlements.forEach((name, value) -> request.addEntitlements(EntitlementData.newBuilder().setName(name).setValue(value)
                    .setUnit(units.getOrDefault(name, EntitlementUnit.ENTITLEMENT_UNIT_COUNT))));
            CheckoutLicenseResponse response = session.stub(LicenseServiceGrpc::newBlockingStub).checkoutLicense(request.build());
            String allowed = String.join(",", response.getEntitlementsAllowedList().stream().map(e -> e.getName() + "=" + e.getValue()).toList());
            output.print(response, List.of("TOKEN", "TYPE", "ENTITLEMENTS", "EXPIRES"), List.of(List.of(response.getLicenseConsumptionToken(),
                    response.getCheckoutType().name().replace("CHECKOUT_TYPE_", ""), allowed, Output.time(response.getExpiration()))));
            return 0;
        }
    }

    @Command(name = "checkin", description = "Returns a provisional checkout (CheckInLicense).")
    static final class CheckIn extends TallyCommand {
        @Parameters(paramLabel = "TOKEN", description = "The license consumption token.")
        String token;

        @Override
        int run(Session session, Output output) {
            CheckInLicenseResponse response = session.stub(LicenseServiceGrpc::newBlockingStub)
                    .checkInLicense(CheckInLicenseRequest.newBuilder().setLicenseConsumptionToken(token).build());
            output.print(response, List.of("CHECKED_IN"), List.of(List.of(token)));
            return 0;
        }
    }

    @Command(name = "extend", description = "Extends a provisional checkout by one time-to-live (ExtendLicenseConsumption).")
    static final class Extend extends TallyCommand {
        @Parameters(paramLabel = "TOKEN", description = "The license consumption token.")
        String token;

        @Override
        int run(Session session, Output output) {
            ExtendLicenseConsumptionResponse response = session.stub(LicenseServiceGrpc::newBlockingStub)
                    .extendLicenseConsumption(ExtendLicenseConsumptionRequest.newBuilder().setLicenseConsumptionToken(token).build());
            output.print(response, List.of("TOKEN", "EXPIRES"), List.of(List.of(token, Output.time(response.getExpiration()))));
            return 0;
        }
    }
}
