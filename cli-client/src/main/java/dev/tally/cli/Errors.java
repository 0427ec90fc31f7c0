package dev.tally.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;

/** Renders a failed call as one line: status code, AWS-style reason, and the server's message. */
final class Errors {

    private Errors() {
    }

    static String describe(StatusRuntimeException failure) {
        return describe(failure, null);
    }

    /** As {@link #describe(StatusRuntimeException)}; a server that cannot be reached is named, with why. */
    static String describe(StatusRuntimeException failure, String target) {
        if (failure.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE && target != null && reason(failure).isEmpty()) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            String why = cause.getMessage() != null ? cause.getMessage() : String.valueOf(failure.getStatus().getDescription());
            return "cannot reach the server at " + target + " (" + why.lines().findFirst().orElse("").strip()
                    + "): is it running, and does it want --tls? Set --target or TALLY_TARGET";
        }
        String reason = reason(failure);
        String message = failure.getStatus().getDescription();
        return failure.getStatus().getCode() + (reason.isEmpty() ? "" : " (" + reason + ")")
                + (message == null ? "" : ": " + message);
    }

    private static String reason(StatusRuntimeException failure) {
        return detail(failure, ErrorInfo.class).map(ErrorInfo::getReason).orElse("");
    }

    /** The failure's first status detail of {@code type} (ErrorInfo, RetryInfo), if it carries one that parses. */
    static <T extends Message> Optional<T> detail(StatusRuntimeException failure, Class<T> type) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status != null) {
            for (Any detail : status.getDetailsList()) {
                if (detail.is(type)) {
                    try {
                        return Optional.of(detail.unpack(type));
                    } catch (InvalidProtocolBufferException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }
}
