package dev.tally.server;

import static dev.tally.server.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tally.proto.v1.CreateLicenseRequest;
import dev.tally.proto.v1.DatetimeRange;
import dev.tally.proto.v1.LicenseServiceGrpc;
import dev.tally.proto.v1.ListLicensesRequest;
import dev.tally.proto.v1.Operation;
import dev.tally.proto.v1.RecordPatch;
import dev.tally.proto.v1.RecordUsageRequest;
import dev.tally.proto.v1.SyncServiceGrpc;
import dev.tally.proto.v1.UpdateRecordsRequest;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import dev.tally.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timestamps outside protobuf's range (year 1 to 9999) or with bad nanos are refused with INVALID_ARGUMENT
 * before anything converts them: they once overflowed into INTERNAL, or were stored and broke every JSON reader.
 */
class TimestampsIT {

    private static final List<Timestamp> OUT_OF_RANGE = List.of(
            Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build(),
            Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build(),
            Timestamp.newBuilder().setSeconds(10_000_000_000_000_000L).build(),
            Timestamp.newBuilder().setSeconds(253_402_300_800L).build(),
            Timestamp.newBuilder().setSeconds(1_800_000_000L).setNanos(-1).build(),
            Timestamp.newBuilder().setSeconds(1_800_000_000L).setNanos(1_000_000_000).build());

    @TempDir
    Path dir;

    @Test
    void everyTimestampField_refusesWhatProtobufCannotExpress_andStoresNothing() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var plans = server.asAdmin(UsagePlanServiceGrpc.newBlockingStub(server.channel()));
            var sync = server.asAdmin(SyncServiceGrpc.newBlockingStub(server.channel()));
            var licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
            for (Timestamp bad : OUT_OF_RANGE) {
                assertThat(assertRpcError(() -> plans.recordUsage(RecordUsageRequest.newBuilder().setUsagePlanId("abc123")
                        .setKeyId("abcdefghij").setTime(bad).setCount(-1).build()), Status.Code.INVALID_ARGUMENT, "BadRequestException")
                        .getStatus().getDescription()).startsWith("time {seconds: ");
                assertRpcError(() -> sync.updateRecords(UpdateRecordsRequest.newBuilder().setIdentityPoolId("us-east-1:0000")
                        .setIdentityId("us-east-1:0000").setDatasetName("d").setSyncSessionToken("t")
                        .addRecordPatches(RecordPatch.newBuilder().setOp(Operation.OPERATION_REPLACE).setKey("k").setValue("v")
                                .setDeviceLastModifiedDate(bad)).build()), Status.Code.INVALID_ARGUMENT, "InvalidParameterException");
                CreateLicenseRequest license = LicensesIT.officeLicense();
                assertRpcError(() -> licenses.createLicense(license.toBuilder().setValidity(license.getValidity().toBuilder().setEnd(bad))
                        .build()), Status.Code.INVALID_ARGUMENT, "ValidationException");
                assertRpcError(() -> licenses.createLicense(license.toBuilder().setValidity(DatetimeRange.newBuilder().setBegin(bad))
                        .build()), Status.Code.INVALID_ARGUMENT, "ValidationException");
            }
            assertThat(licenses.listLicenses(ListLicensesRequest.getDefaultInstance()).getLicensesCount()).isZero();
        }
    }

    @Test
    void rowsStoredBeforeTheCheck_areShownWithinRange_soJsonReadersKeepWorking() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            var licenses = server.asAdmin(LicenseServiceGrpc.newBlockingStub(server.channel()));
            licenses.createLicense(LicensesIT.officeLicense());
            // As an older server could have stored it: valid until the year 20000.
            try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tally.db"));
                 var statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 5000");
                assertThat(statement.executeUpdate("UPDATE license SET valid_until = 568971849600000")).isEqualTo(1);
            }
            var listed = licenses.listLicenses(ListLicensesRequest.getDefaultInstance());
            assertThat(listed.getLicenses(0).getValidity().getEnd().getSeconds()).isEqualTo(253_402_300_799L);
            assertThat(com.google.protobuf.util.JsonFormat.printer().print(listed)).contains("9999-12-31T23:59:59.999999999Z");
        }
    }
}
