package dev.tally.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
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
import dev.tally.domain.common.UnavailableException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place domain failures become gRPC statuses: a code, the domain's message, and a
 * {@code google.rpc.ErrorInfo} with the AWS-style reason (plus {@code RetryInfo} when throttled). Anything
 * that is not a {@link TallyException} is a bug: logged here with its stack trace, and shown to the caller
 * only as a generic INTERNAL.
 */
public final class StatusMapper {

    public static final String ERROR_DOMAIN = "tally.dev";
    private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);
    /** One gRPC code per kind of failure; every subclass of the sealed family is final, so this is exhaustive. */
    private static final Map<Class<? extends TallyException>, Code> CODES = Map.of(
            InvalidParameterException.class, Code.INVALID_ARGUMENT,
            UnauthenticatedException.class, Code.UNAUTHENTICATED,
            PermissionDeniedException.class, Code.PERMISSION_DENIED,
            NotFoundException.class, Code.NOT_FOUND,
            ConflictException.class, Code.ALREADY_EXISTS,
            ResourceConflictException.class, Code.ABORTED,
            LimitExceededException.class, Code.RESOURCE_EXHAUSTED,
            TooManyRequestsException.class, Code.RESOURCE_EXHAUSTED,
            FailedPreconditionException.class, Code.FAILED_PRECONDITION,
            UnavailableException.class, Code.UNAVAILABLE);

    private StatusMapper() {
    }

    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof TallyException broken) {
            return toStatus(broken);
        }
        log.error("Unexpected failure while serving a call", failure);
        return build(Code.INTERNAL, "internal error; the server log has the details",
                errorInfo(ErrorReason.INTERNAL_ERROR.awsName(), null), null);
    }

    private static StatusRuntimeException toStatus(TallyException broken) {
        Code code = CODES.get(broken.getClass());
        Any retry = broken instanceof TooManyRequestsException throttled
                ? Any.pack(RetryInfo.newBuilder().setRetryDelay(duration(throttled.retryAfter())).build())
                : null;
        return build(code, broken.getMessage(), errorInfo(broken.reason().awsName(), broken.field().orElse(null)), retry);
    }

    private static ErrorInfo errorInfo(String reason, String field) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(ERROR_DOMAIN);
        if (field != null) {
            info.putMetadata("field", field);
        }
        return info.build();
    }

    private static StatusRuntimeException build(Code code, String message, ErrorInfo info, Any retry) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber()).setMessage(message).addDetails(Any.pack(info));
        if (retry != null) {
            status.addDetails(retry);
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    private static Duration duration(java.time.Duration duration) {
        return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }
}
