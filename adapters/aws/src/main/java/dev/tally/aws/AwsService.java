package dev.tally.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.aws.protocol.ServiceModel;
import dev.tally.domain.common.Caller;
import java.util.Map;

/** One AWS service the door serves: its model, and a handler for each operation it implements. */
public interface AwsService {

    /** One operation over the domain's in-ports: input and output keyed by the model's member names. */
    @FunctionalInterface
    interface Handler {
        JsonNode handle(Caller caller, ObjectNode input);
    }

    ServiceModel model();

    /** The error the service answers malformed input with, for example {@code BadRequestException}. */
    String badInputError();

    /**
     * The error name for a caller whose credentials may not call this service at all (identity credentials on
     * any service but Cognito Sync), answered as 403.
     */
    String accessDeniedError();

    /**
     * Whether identity credentials (an identity token's temporary AWS keys) may call this service; the domain
     * still decides each call (its own identity only). False for every service but Cognito Sync.
     */
    default boolean servesIdentityCallers() {
        return false;
    }

    /** Handlers by operation name; every one must be an operation of {@link #model()}. */
    Map<String, Handler> handlers();
}
