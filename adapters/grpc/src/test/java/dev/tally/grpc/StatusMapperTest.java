package dev.tally.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.tally.domain.common.ConflictException;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.LimitExceededException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.PermissionDeniedException;
import dev.tally.domain.common.ResourceConflictException;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.TooManyRequestsException;
import dev.tally.domain.common.UnauthenticatedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusMapperTest {

    @Test
    void everyKindOfFailure_getsItsStatusCode_andItsReasonInErrorInfo() {
        Map<TallyException, Status.Code> cases = Map.of(
                new InvalidParameterException(ErrorReason.BAD_REQUEST, "limit", "limit 501 is out of range"), Status.Code.INVALID_ARGUMENT,
                new UnauthenticatedException(null, "missing token"), Status.Code.UNAUTHENTICATED,
                new PermissionDeniedException(ErrorReason.NOT_AUTHORIZED, null, "no"), Status.Code.PERMISSION_DENIED,
                new NotFoundException(ErrorReason.NOT_FOUND, "usage_plan_id", "no plan"), Status.Code.NOT_FOUND,
                new ConflictException("key_id", "already associated"), Status.Code.ALREADY_EXISTS,
                new ResourceConflictException("sync_count", "stale"), Status.Code.ABORTED,
                new LimitExceededException("record_patches", "too many"), Status.Code.RESOURCE_EXHAUSTED,
                new TooManyRequestsException("slow down", Duration.ofMillis(1500)), Status.Code.RESOURCE_EXHAUSTED,
                new FailedPreconditionException(ErrorReason.ENTITLEMENT_NOT_ALLOWED, null, "deactivated"), Status.Code.FAILED_PRECONDITION);

        cases.forEach((failure, code) -> {
            StatusRuntimeException status = StatusMapper.toStatus(failure);

            assertThat(status.getStatus().getCode()).isEqualTo(code);
            assertThat(status.getStatus().getDescription()).isEqualTo(failure.getMessage());
            ErrorInfo info = unpack(status, ErrorInfo.class);
            assertThat(info.getReason()).isEqualTo(failure.reason().awsName());
            assertThat(info.getDomain()).isEqualTo("tally.dev");
            failure.field().ifPresent(field -> assertThat(info.getMetadataMap()).containsEntry("field", field));
        });
    }

    @Test
    void throttling_carriesRetryInfo() {
        StatusRuntimeException status = StatusMapper.toStatus(new TooManyRequestsException("slow down", Duration.ofMillis(1500)));

        RetryInfo retry = unpack(status, RetryInfo.class);
        assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
        assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
    }

    @Test
    void unexpectedFailure_isInternal_withAGenericMessageThatLeaksNothing() {
        StatusRuntimeException status = StatusMapper.toStatus(new IllegalStateException("SELECT secret FROM table"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).doesNotContain("SELECT").doesNotContain("secret");
        assertThat(unpack(status, ErrorInfo.class).getReason()).isEqualTo("InternalErrorException");
    }

    private static <T extends com.google.protobuf.Message> T unpack(StatusRuntimeException status, Class<T> type) {
        for (Any any : StatusProto.fromThrowable(status).getDetailsList()) {
            if (any.is(type)) {
                try {
                    return any.unpack(type);
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + status);
    }
}
