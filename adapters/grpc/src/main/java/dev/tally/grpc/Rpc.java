package dev.tally.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs a unary call's body and answers the caller: the response, or the mapped failure. Never throws. */
final class Rpc {

    private Rpc() {
    }

    static <T> void unary(StreamObserver<T> observer, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (Throwable failure) {
            observer.onError(StatusMapper.toStatus(failure));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
