package dev.tally.cli;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "health", description = "Checks the server's health (no token needed); exit code 1 unless SERVING.")
final class HealthCommand extends TallyCommand {

    @Option(names = "--service", defaultValue = "", description = "One service, e.g. tally.v1.UsageService; default: the whole server.")
    String service;

    @Override
    int run(Session session, Output output) {
        HealthCheckResponse response = session.stub(HealthGrpc::newBlockingStub)
                .check(HealthCheckRequest.newBuilder().setService(service).build());
        output.print(response, List.of("SERVICE", "STATUS"),
                List.of(List.of(service.isEmpty() ? "(server)" : service, response.getStatus().name())));
        return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
    }
}
