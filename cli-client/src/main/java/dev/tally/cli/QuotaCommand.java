package dev.tally.cli;

import dev.tally.proto.v1.ConsumeQuotaRequest;
import dev.tally.proto.v1.ConsumeQuotaResponse;
import dev.tally.proto.v1.UsagePlanServiceGrpc;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quota", description = "The metering hot path, by hand.", subcommands = QuotaCommand.Consume.class)
final class QuotaCommand {

    /** Exactly one way to name the key. */
    static final class KeyChoice {
        @Option(names = "--key", required = true, description = "The API key id.")
        String keyId;

        @Option(names = "--api-key", required = true, description = "The API key value, as a gateway would send it.")
        String apiKey;
    }

    @Command(name = "consume", description = "Checks key, throttle and quota and consumes --cost when allowed (ConsumeQuota).")
    static final class Consume extends TallyCommand {
        @Option(names = "--plan", required = true, description = "The usage plan.")
        String plan;

        @ArgGroup(multiplicity = "1")
        KeyChoice key;

        @Option(names = "--cost", defaultValue = "1", description = "Units to consume (default ${DEFAULT-VALUE}).")
        long cost;

        @Option(names = "--idempotency-key", defaultValue = "", description = "Makes a retry count once.")
        String idempotencyKey;

        @Override
        int run(Session session, Output output) {
            ConsumeQuotaRequest.Builder request = ConsumeQuotaRequest.newBuilder().setUsagePlanId(plan).setCost(cost)
                    .setIdempotencyKey(idempotencyKey);
            if (key.keyId != null) {
                request.setKeyId(key.keyId);
            } else {
                request.setApiKey(key.apiKey);
            }
            ConsumeQuotaResponse response = session.stub(UsagePlanServiceGrpc::newBlockingStub).consumeQuota(request.build());
            output.print(response, List.of("DECISION", "USED", "REMAINING", "PERIOD_END", "RETRY_AFTER"),
                    List.of(List.of(response.getDecision().name().replace("DECISION_", ""), Long.toString(response.getUsed()),
                            response.hasRemaining() ? Long.toString(response.getRemaining()) : "-",
                            Output.time(response.getPeriodEnd()),
                            response.hasRetryAfter() ? response.getRetryAfter().getSeconds() + "s" : "-")));
            return response.getDecision() == dev.tally.proto.v1.Decision.DECISION_ALLOWED ? 0 : TallyCli.NOT_ALLOWED;
        }
    }
}
