package dev.tally.grpc;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutItem;
import dev.tally.domain.license.CheckoutType;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.EntitlementUnit;
import dev.tally.domain.license.License;
import dev.tally.domain.license.LicenseStatus;
import dev.tally.domain.license.RenewType;
import dev.tally.proto.v1.CheckoutLicenseResponse;
import dev.tally.proto.v1.ConsumptionConfiguration;
import dev.tally.proto.v1.DatetimeRange;
import dev.tally.proto.v1.EntitlementData;
import dev.tally.proto.v1.Issuer;
import dev.tally.proto.v1.ProvisionalConfiguration;
import java.util.OptionalLong;

/** License messages between proto and domain. Proto enums are the domain's with a prefix, in the same order. */
final class LicenseMapping {

    private LicenseMapping() {
    }

    static EntitlementUnit unit(dev.tally.proto.v1.EntitlementUnit unit, String field) {
        if (unit == dev.tally.proto.v1.EntitlementUnit.ENTITLEMENT_UNIT_UNSPECIFIED || unit == dev.tally.proto.v1.EntitlementUnit.UNRECOGNIZED) {
            throw new InvalidParameterException(ErrorReason.VALIDATION, field, field + " is required: one of the ENTITLEMENT_UNIT_ values");
        }
        return EntitlementUnit.valueOf(unit.name().substring("ENTITLEMENT_UNIT_".length()));
    }

    static dev.tally.proto.v1.EntitlementUnit unit(EntitlementUnit unit) {
        return dev.tally.proto.v1.EntitlementUnit.valueOf("ENTITLEMENT_UNIT_" + unit.name());
    }

    static LicenseStatus status(dev.tally.proto.v1.LicenseStatus status) {
        if (status == dev.tally.proto.v1.LicenseStatus.LICENSE_STATUS_UNSPECIFIED || status == dev.tally.proto.v1.LicenseStatus.UNRECOGNIZED) {
            throw new InvalidParameterException(ErrorReason.VALIDATION, "status", "status is required: one of the LICENSE_STATUS_ values");
        }
        return LicenseStatus.valueOf(status.name().substring("LICENSE_STATUS_".length()));
    }

    static RenewType renewType(dev.tally.proto.v1.RenewType type, int number) {
        return switch (type) {
            case RENEW_TYPE_UNSPECIFIED, RENEW_TYPE_NONE -> RenewType.NONE;
            case RENEW_TYPE_WEEKLY -> RenewType.WEEKLY;
            case RENEW_TYPE_MONTHLY -> RenewType.MONTHLY;
            // A number the contract does not define is refused, not read as NONE.
            case UNRECOGNIZED -> throw new InvalidParameterException(ErrorReason.VALIDATION, "consumption_configuration.renew_type",
                    "consumption_configuration.renew_type " + number + " is invalid: expected RENEW_TYPE_NONE, RENEW_TYPE_WEEKLY"
                            + " or RENEW_TYPE_MONTHLY");
        };
    }

    static CheckoutType checkoutType(dev.tally.proto.v1.CheckoutType type) {
        return switch (type) {
            case CHECKOUT_TYPE_PROVISIONAL -> CheckoutType.PROVISIONAL;
            case CHECKOUT_TYPE_PERPETUAL -> CheckoutType.PERPETUAL;
            default -> throw new InvalidParameterException(ErrorReason.VALIDATION, "checkout_type",
                    "checkout_type is required: CHECKOUT_TYPE_PROVISIONAL or CHECKOUT_TYPE_PERPETUAL");
        };
    }

    static Entitlement entitlement(dev.tally.proto.v1.Entitlement proto, int index) {
        return new Entitlement(proto.getName(), unit(proto.getUnit(), "entitlements[" + index + "].unit"),
                proto.hasMaxCount() ? OptionalLong.of(proto.getMaxCount()) : OptionalLong.empty(), proto.getValue(),
                proto.getOverage(), proto.getAllowCheckIn());
    }

    static dev.tally.proto.v1.License license(License license) {
        DatetimeRange.Builder validity = DatetimeRange.newBuilder().setBegin(ProtoTime.timestamp(license.validFrom()));
        license.validUntil().ifPresent(end -> validity.setEnd(ProtoTime.timestamp(end)));
        dev.tally.proto.v1.License.Builder proto = dev.tally.proto.v1.License.newBuilder()
                .setLicenseArn(license.arn().value())
                .setLicenseName(license.name())
                .setProductName(license.productName())
                .setProductSku(license.productSku())
                .setIssuer(Issuer.newBuilder().setName(license.issuer()).setKeyFingerprint(license.keyFingerprint()))
                .setHomeRegion(license.homeRegion())
                .setStatus(dev.tally.proto.v1.LicenseStatus.valueOf("LICENSE_STATUS_" + license.status().name()))
                .setValidity(validity)
                .setBeneficiary(license.beneficiary())
                .setConsumptionConfiguration(ConsumptionConfiguration.newBuilder()
                        .setRenewType(dev.tally.proto.v1.RenewType.valueOf("RENEW_TYPE_" + license.renewType().name()))
                        .setProvisionalConfiguration(ProvisionalConfiguration.newBuilder()
                                .setMaxTimeToLiveInMinutes(license.provisionalTtlMinutes())))
                .setVersion(Long.toString(license.version()))
                .setCreateTime(ProtoTime.timestamp(license.createdAt()));
        for (Entitlement e : license.entitlements()) {
            dev.tally.proto.v1.Entitlement.Builder entitlement = dev.tally.proto.v1.Entitlement.newBuilder()
                    .setName(e.name()).setUnit(unit(e.unit())).setValue(e.value()).setOverage(e.overage()).setAllowCheckIn(e.allowCheckIn());
            e.maxCount().ifPresent(entitlement::setMaxCount);
            proto.addEntitlements(entitlement);
        }
        return proto.build();
    }

    static CheckoutLicenseResponse checkout(Checkout checkout) {
        CheckoutLicenseResponse.Builder response = CheckoutLicenseResponse.newBuilder()
                .setLicenseConsumptionToken(checkout.token())
                .setIssuedAt(ProtoTime.timestamp(checkout.issuedAt()))
                .setLicenseArn(checkout.license().value())
                .setNodeId(checkout.nodeId())
                .setCheckoutType(checkout.type() == CheckoutType.PROVISIONAL
                        ? dev.tally.proto.v1.CheckoutType.CHECKOUT_TYPE_PROVISIONAL : dev.tally.proto.v1.CheckoutType.CHECKOUT_TYPE_PERPETUAL);
        checkout.expiration().ifPresent(expiration -> response.setExpiration(ProtoTime.timestamp(expiration)));
        for (CheckoutItem item : checkout.items()) {
            response.addEntitlementsAllowed(EntitlementData.newBuilder().setName(item.name()).setValue(item.value()).setUnit(unit(item.unit())));
        }
        return response.build();
    }
}
