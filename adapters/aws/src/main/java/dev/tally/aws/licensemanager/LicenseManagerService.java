package dev.tally.aws.licensemanager;

import static dev.tally.aws.protocol.Values.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.AwsService;
import dev.tally.aws.protocol.AwsError;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.aws.protocol.Values;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutItem;
import dev.tally.domain.license.CheckoutRequest;
import dev.tally.domain.license.CheckoutType;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.EntitlementUnit;
import dev.tally.domain.license.EntitlementUsage;
import dev.tally.domain.license.License;
import dev.tally.domain.license.NewLicense;
import dev.tally.domain.license.RenewType;
import dev.tally.domain.license.port.in.ConsumeLicenses;
import dev.tally.domain.license.port.in.GetLicenseUsageQuery;
import dev.tally.domain.license.port.in.ManageLicenses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * License Manager's license, checkout and usage operations ({@code license-manager}, json 1.1) over the
 * license in-ports. As on AWS, CheckoutLicense names the license by product SKU and the issuer's key
 * fingerprint (GetLicense shows it), dates are ISO 8601 strings, and usage figures are strings.
 */
public final class LicenseManagerService implements AwsService {

    private static final String VALIDATION = "ValidationException";
    /** AWS's unit names ({@code Bytes/Second}) by Tally's, and back. */
    private static final Map<EntitlementUnit, String> UNIT_NAMES = new LinkedHashMap<>();
    private static final Map<String, EntitlementUnit> UNITS = new LinkedHashMap<>();

    static {
        for (EntitlementUnit unit : EntitlementUnit.values()) {
            StringBuilder name = new StringBuilder();
            for (String part : unit.name().split("_PER_")) {
                name.append(name.isEmpty() ? "" : "/").append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
            }
            UNIT_NAMES.put(unit, name.toString());
            UNITS.put(name.toString(), unit);
        }
    }

    private final ServiceModel model = ServiceModel.load("license-manager");
    private final ManageLicenses licenses;
    private final ConsumeLicenses consumption;
    private final Map<String, Handler> handlers = new LinkedHashMap<>();

    public LicenseManagerService(ManageLicenses licenses, ConsumeLicenses consumption, GetLicenseUsageQuery usage) {
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.consumption = Objects.requireNonNull(consumption, "consumption");
        Objects.requireNonNull(usage, "usage");
        handlers.put("CreateLicense", this::createLicense);
        handlers.put("GetLicense", (caller, in) -> JSON.objectNode().set("License", license(licenses.get(caller, arn(in)))));
        handlers.put("ListLicenses", this::listLicenses);
        handlers.put("DeleteLicense", (caller, in) -> JSON.objectNode().put("Status", "DELETED")
                .put("DeletionDate", Values.iso8601(licenses.delete(caller, arn(in), in.path("SourceVersion").asText()))));
        handlers.put("CheckoutLicense", this::checkoutLicense);
        handlers.put("CheckInLicense", (caller, in) -> {
            consumption.checkIn(caller, in.path("LicenseConsumptionToken").asText());
            return JSON.objectNode();
        });
        handlers.put("ExtendLicenseConsumption", this::extendLicenseConsumption);
        handlers.put("GetLicenseUsage", (caller, in) -> {
            ArrayNode usages = JSON.arrayNode();
            for (EntitlementUsage entitlement : usage.usage(caller, arn(in))) {
                ObjectNode item = usages.addObject().put("Name", entitlement.name()).put("ConsumedValue", Long.toString(entitlement.consumed()));
                entitlement.maxCount().ifPresent(max -> item.put("MaxCount", Long.toString(max)));
                item.put("Unit", UNIT_NAMES.get(entitlement.unit()));
            }
            ObjectNode out = JSON.objectNode();
            out.putObject("LicenseUsage").set("EntitlementUsages", usages);
            return out;
        });
    }

    @Override
    public ServiceModel model() {
        return model;
    }

    @Override
    public String badInputError() {
        return VALIDATION;
    }

    @Override
    public String accessDeniedError() {
        return "AccessDeniedException";
    }

    @Override
    public Map<String, Handler> handlers() {
        return handlers;
    }

    private JsonNode createLicense(Caller caller, ObjectNode in) {
        JsonNode consumptionConfiguration = in.path("ConsumptionConfiguration");
        if (consumptionConfiguration.has("BorrowConfiguration")) {
            throw new AwsError(400, VALIDATION, "BorrowConfiguration is not supported: Tally checks out licenses as PROVISIONAL or"
                    + " PERPETUAL; leave BorrowConfiguration out");
        }
        if (in.path("LicenseMetadata").size() > 0) {
            throw new AwsError(400, VALIDATION, "LicenseMetadata is not supported; leave it out");
        }
        List<Entitlement> entitlements = new ArrayList<>();
        for (JsonNode entitlement : in.path("Entitlements")) {
            entitlements.add(new Entitlement(entitlement.path("Name").asText(), unit(entitlement.path("Unit").asText()),
                    entitlement.has("MaxCount") ? OptionalLong.of(entitlement.path("MaxCount").asLong()) : OptionalLong.empty(),
                    entitlement.path("Value").asText(""), entitlement.path("Overage").asBoolean(false),
                    entitlement.path("AllowCheckIn").asBoolean(false)));
        }
        JsonNode validity = in.path("Validity");
        License license = licenses.create(caller, new NewLicense(in.path("LicenseName").asText(), in.path("ProductName").asText(),
                in.path("ProductSKU").asText(), in.path("Issuer").path("Name").asText(), in.path("HomeRegion").asText(),
                Optional.of(Values.iso8601("Validity.Begin", validity.path("Begin").asText(), VALIDATION)),
                Values.text(validity, "End").map(end -> Values.iso8601("Validity.End", end, VALIDATION)), entitlements,
                in.path("Beneficiary").asText(), renewType(consumptionConfiguration.path("RenewType").asText("None")),
                consumptionConfiguration.path("ProvisionalConfiguration").path("MaxTimeToLiveInMinutes").asInt(0),
                in.path("ClientToken").asText()));
        return JSON.objectNode().put("LicenseArn", license.arn().value()).put("Status", license.status().name())
                .put("Version", Long.toString(license.version()));
    }

    private JsonNode listLicenses(Caller caller, ObjectNode in) {
        if (in.path("Filters").size() > 0) {
            throw new AwsError(400, VALIDATION, "Filters are not supported: list every license, or name them in LicenseArns");
        }
        if (in.path("LicenseArns").size() > 0) {
            ArrayNode named = JSON.arrayNode();
            for (JsonNode arn : in.path("LicenseArns")) {
                try {
                    named.add(license(licenses.get(caller, new LicenseArn(arn.asText()))));
                } catch (NotFoundException unknown) {
                    // As AWS does, an ARN that names no license is left out of the list.
                }
            }
            return JSON.objectNode().set("Licenses", named);
        }
        Page<License> page = licenses.list(caller, in.path("MaxResults").asInt(0), in.path("NextToken").asText(""));
        return Values.page(page, "Licenses", "NextToken", LicenseManagerService::license);
    }

    private JsonNode checkoutLicense(Caller caller, ObjectNode in) {
        License license = licenses.findForCheckout(caller, in.path("ProductSKU").asText(), in.path("KeyFingerprint").asText());
        List<CheckoutRequest.RequestedEntitlement> requested = new ArrayList<>();
        for (JsonNode entitlement : in.path("Entitlements")) {
            requested.add(new CheckoutRequest.RequestedEntitlement(entitlement.path("Name").asText(), entitlement.path("Value").asText(""),
                    unit(entitlement.path("Unit").asText())));
        }
        Checkout checkout = consumption.checkout(caller, new CheckoutRequest(license.arn(), CheckoutType.valueOf(in.path("CheckoutType").asText()),
                requested, in.path("ClientToken").asText(), in.path("Beneficiary").asText(""), in.path("NodeId").asText("")));
        ObjectNode out = JSON.objectNode().put("CheckoutType", checkout.type().name()).put("LicenseConsumptionToken", checkout.token());
        ArrayNode allowed = out.putArray("EntitlementsAllowed");
        for (CheckoutItem item : checkout.items()) {
            allowed.addObject().put("Name", item.name()).put("Value", item.value()).put("Unit", UNIT_NAMES.get(item.unit()));
        }
        if (!checkout.nodeId().isEmpty()) {
            out.put("NodeId", checkout.nodeId());
        }
        out.put("IssuedAt", Values.iso8601(checkout.issuedAt()));
        checkout.expiration().ifPresent(at -> out.put("Expiration", Values.iso8601(at)));
        return out.put("LicenseArn", checkout.license().value());
    }

    private JsonNode extendLicenseConsumption(Caller caller, ObjectNode in) {
        if (in.path("DryRun").asBoolean(false)) {
            throw new AwsError(400, VALIDATION, "DryRun is not supported: send the request without it");
        }
        Checkout extended = consumption.extend(caller, in.path("LicenseConsumptionToken").asText());
        return JSON.objectNode().put("LicenseConsumptionToken", extended.token())
                .put("Expiration", Values.iso8601(extended.expiration().orElseThrow()));
    }

    private static LicenseArn arn(ObjectNode in) {
        return new LicenseArn(in.path("LicenseArn").asText());
    }

    private static EntitlementUnit unit(String name) {
        EntitlementUnit unit = UNITS.get(name);
        if (unit == null) {
            // The model's enum check has refused anything else already; this guards against a newer model.
            throw new AwsError(400, VALIDATION, "Unit " + dev.tally.domain.common.TallyException.quote(name) + " is not one of " + UNITS.keySet());
        }
        return unit;
    }

    /** The model's RenewType enum (None, Weekly, Monthly), already checked. */
    private static RenewType renewType(String name) {
        return RenewType.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static ObjectNode license(License license) {
        ObjectNode out = JSON.objectNode().put("LicenseArn", license.arn().value()).put("LicenseName", license.name())
                .put("ProductName", license.productName()).put("ProductSKU", license.productSku());
        out.putObject("Issuer").put("Name", license.issuer()).put("KeyFingerprint", license.keyFingerprint());
        out.put("HomeRegion", license.homeRegion()).put("Status", license.status().name());
        ObjectNode validity = out.putObject("Validity").put("Begin", Values.iso8601(license.validFrom()));
        license.validUntil().ifPresent(end -> validity.put("End", Values.iso8601(end)));
        out.put("Beneficiary", license.beneficiary());
        ArrayNode entitlements = out.putArray("Entitlements");
        for (Entitlement entitlement : license.entitlements()) {
            ObjectNode item = entitlements.addObject().put("Name", entitlement.name());
            if (!entitlement.value().isEmpty()) {
                item.put("Value", entitlement.value());
            }
            entitlement.maxCount().ifPresent(max -> item.put("MaxCount", max));
            item.put("Overage", entitlement.overage()).put("Unit", UNIT_NAMES.get(entitlement.unit()))
                    .put("AllowCheckIn", entitlement.allowCheckIn());
        }
        ObjectNode consumption = out.putObject("ConsumptionConfiguration")
                .put("RenewType", titleCase(license.renewType().name()));
        consumption.putObject("ProvisionalConfiguration").put("MaxTimeToLiveInMinutes", license.provisionalTtlMinutes());
        out.put("CreateTime", Values.iso8601(license.createdAt()));
        return out.put("Version", Long.toString(license.version()));
    }

    /** {@code WEEKLY} as AWS writes it, {@code Weekly}. */
    private static String titleCase(String name) {
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }
}
