package dev.tally.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** Renders a failed call as one line: status code, AWS-style reason, and the server's message. */
final class Errors {

    private Errors() {
    }

    static String describe(StatusRuntimeException failure) {
        String reason = reason(failure);
        String message = failure.getStatus().getDescription();
        return failure.getStatus().getCode() + (reason.isEmpty() ? "" : " (" + reason + ")")
                + (message == null ? "" : ": " + message);
    }

    private static String reason(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        if (status != null) {
            for (Any detail : status.getDetailsList()) {
                if (detail.is(ErrorInfo.class)) {
                    try {
                        return detail.unpack(ErrorInfo.class).getReason();
                    } catch (InvalidProtocolBufferException e) {
                        return "";
                    }
                }
            }
        }
        return "";
    }
}
