package dev.tally.grpc;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.LicenseArn;
import dev.tally.domain.common.Page;
import dev.tally.domain.license.Checkout;
import dev.tally.domain.license.CheckoutRequest;
import dev.tally.domain.license.Entitlement;
import dev.tally.domain.license.License;
import dev.tally.domain.license.NewLicense;
import dev.tally.domain.license.port.in.ConsumeLicenses;
import dev.tally.domain.license.port.in.ManageLicenses;
import dev.tally.proto.v1.CheckInLicenseRequest;
import dev.tally.proto.v1.CheckInLicenseResponse;
import dev.tally.proto.v1.CheckoutLicenseRequest;
import dev.tally.proto.v1.DeleteLicenseRequest;
import dev.tally.proto.v1.DeleteLicenseResponse;
import dev.tally.proto.v1.CheckoutLicenseResponse;
import dev.tally.proto.v1.CreateLicenseRequest;
import dev.tally.proto.v1.CreateLicenseResponse;
import dev.tally.proto.v1.ExtendLicenseConsumptionRequest;
import dev.tally.proto.v1.ExtendLicenseConsumptionResponse;
import dev.tally.proto.v1.GetLicenseRequest;
import dev.tally.proto.v1.GetLicenseResponse;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.ListLicensesResponse;
import dev.tally.proto.v1.UpdateLicenseStatusRequest;
import dev.tally.proto.v1.UpdateLicenseStatusResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** tally.v1.LicenseService over the license use cases. */
public final class LicenseGrpcService extends LicenseServiceGrpc.LicenseServiceImplBase {

    private final ManageLicenses licenses;
    private final ConsumeLicenses consumption;

    public LicenseGrpcService(ManageLicenses licenses, ConsumeLicenses consumption) {
        this.licenses = requireNonNull(licenses, "licenses");
        this.consumption = requireNonNull(consumption, "consumption");
    }

    @Override
    public void createLicense(CreateLicenseRequest request, StreamObserver<CreateLicenseResponse> observer) {
        Rpc.unary(observer, () -> {
            List<Entitlement> entitlements = new ArrayList<>();
            for (int i = 0; i < request.getEntitlementsCount(); i++) {
                entitlements.add(LicenseMapping.entitlement(request.getEntitlements(i), i));
            }
            var config = request.getConsumptionConfiguration();
            License license = licenses.create(Callers.current(), new NewLicense(request.getLicenseName(), request.getProductName(),
                    request.getProductSku(), request.getIssuer().getName(), request.getHomeRegion(),
                    ProtoTime.instant("validity.begin", ErrorReason.VALIDATION, request.getValidity().hasBegin(), request.getValidity().getBegin()),
                    ProtoTime.instant("validity.end", ErrorReason.VALIDATION, request.getValidity().hasEnd(), request.getValidity().getEnd()),
                    entitlements, request.getBeneficiary(), LicenseMapping.renewType(config.getRenewType(), config.getRenewTypeValue()),
                    config.getProvisionalConfiguration().getMaxTimeToLiveInMinutes(), request.getClientToken()));
            return CreateLicenseResponse.newBuilder()
                    .setLicenseArn(license.arn().value())
                    .setStatus(LicenseMapping.license(license).getStatus())
                    .setVersion(Long.toString(license.version()))
                    .build();
        });
    }

    @Override
    public void getLicense(GetLicenseRequest request, StreamObserver<GetLicenseResponse> observer) {
        Rpc.unary(observer, () -> GetLicenseResponse.newBuilder()
                .setLicense(LicenseMapping.license(licenses.get(Callers.current(), new LicenseArn(request.getLicenseArn()))))
                .build());
    }

    @Override
    public void listLicenses(ListLicensesRequest request, StreamObserver<ListLicensesResponse> observer) {
        Rpc.unary(observer, () -> {
            Page<License> page = licenses.list(Callers.current(), request.getPageSize(), request.getPageToken());
            ListLicensesResponse.Builder response = ListLicensesResponse.newBuilder().setNextPageToken(page.nextToken());
            page.items().forEach(license -> response.addLicenses(LicenseMapping.license(license)));
            return response.build();
        });
    }

    @Override
    public void updateLicenseStatus(UpdateLicenseStatusRequest request, StreamObserver<UpdateLicenseStatusResponse> observer) {
        Rpc.unary(observer, () -> {
            LicenseArn arn = new LicenseArn(request.getLicenseArn());
            return UpdateLicenseStatusResponse.newBuilder()
                    .setLicense(LicenseMapping.license(licenses.updateStatus(Callers.current(), arn, LicenseMapping.status(request.getStatus()))))
                    .build();
        });
    }

    @Override
    public void deleteLicense(DeleteLicenseRequest request, StreamObserver<DeleteLicenseResponse> observer) {
        Rpc.unary(observer, () -> DeleteLicenseResponse.newBuilder()
                .setStatus(dev.tally.proto.v1.LicenseStatus.LICENSE_STATUS_DELETED)
                .setDeletionDate(ProtoTime.timestamp(licenses.delete(Callers.current(), new LicenseArn(request.getLicenseArn()),
                        request.getSourceVersion())))
                .build());
    }

    @Override
    public void checkoutLicense(CheckoutLicenseRequest request, StreamObserver<CheckoutLicenseResponse> observer) {
        Rpc.unary(observer, () -> {
            LicenseArn arn = new LicenseArn(request.getLicenseArn());
            List<CheckoutRequest.RequestedEntitlement> requested = new ArrayList<>();
            for (int i = 0; i < request.getEntitlementsCount(); i++) {
                var data = request.getEntitlements(i);
                requested.add(new CheckoutRequest.RequestedEntitlement(data.getName(), data.getValue(),
                        LicenseMapping.unit(data.getUnit(), "entitlements[" + i + "].unit")));
            }
            Checkout checkout = consumption.checkout(Callers.current(), new CheckoutRequest(arn,
                    LicenseMapping.checkoutType(request.getCheckoutType()), requested, request.getClientToken(),
                    request.getBeneficiary(), request.getNodeId()));
            return LicenseMapping.checkout(checkout);
        });
    }

    @Override
    public void checkInLicense(CheckInLicenseRequest request, StreamObserver<CheckInLicenseResponse> observer) {
        Rpc.unary(observer, () -> {
            consumption.checkIn(Callers.current(), request.getLicenseConsumptionToken());
            return CheckInLicenseResponse.getDefaultInstance();
        });
    }

    @Override
    public void extendLicenseConsumption(ExtendLicenseConsumptionRequest request,
                                         StreamObserver<ExtendLicenseConsumptionResponse> observer) {
        Rpc.unary(observer, () -> {
            Checkout extended = consumption.extend(Callers.current(), request.getLicenseConsumptionToken());
            return ExtendLicenseConsumptionResponse.newBuilder()
                    .setLicenseConsumptionToken(extended.token())
                    .setExpiration(ProtoTime.timestamp(extended.expiration().orElseThrow()))
                    .build();
        });
    }
}
