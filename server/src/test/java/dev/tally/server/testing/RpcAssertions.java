package dev.tally.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the status, message and ErrorInfo of a failed call. */
public final class RpcAssertions {

    private RpcAssertions() {
    }

    /** Asserts {@code call} fails with {@code code} and ErrorInfo {@code reason} in domain tally.dev; returns the failure. */
    public static StatusRuntimeException assertRpcError(ThrowingCallable call, Status.Code code, String reason) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call should have failed with %s", code).isNotNull();
        assertThat(failure.getStatus().getCode()).as("status of: %s", failure.getStatus().getDescription()).isEqualTo(code);
        ErrorInfo info = detail(failure, ErrorInfo.class).orElseThrow(() -> new AssertionError("no ErrorInfo in " + failure));
        assertThat(info.getReason()).isEqualTo(reason);
        assertThat(info.getDomain()).isEqualTo("tally.dev");
        return failure;
    }

    public static <T extends com.google.protobuf.Message> Optional<T> detail(StatusRuntimeException failure, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status == null) {
            return Optional.empty();
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    return Optional.of(any.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return Optional.empty();
    }

    public static Optional<RetryInfo> retryInfo(StatusRuntimeException failure) {
        return detail(failure, RetryInfo.class);
    }
}
