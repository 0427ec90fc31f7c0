package dev.tally.aws.protocol;

import dev.tally.aws.protocol.ServiceModel.Operation;
import dev.tally.domain.common.ConflictException;
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
import java.util.List;
import java.util.Map;

/**
 * Turns a broken domain rule into the error an operation declares in its model. The domain names the AWS
 * error it means (its {@code ErrorReason}); when the operation does not declare that name, the first error
 * of the same kind it does declare is used, so an SDK always gets an exception class it knows.
 */
public final class DomainErrors {

    /** The AWS error names of each kind of failure, most specific first. */
    private static final Map<Class<? extends TallyException>, List<String>> KINDS = Map.of(
            InvalidParameterException.class, List.of("BadRequestException", "InvalidParameterException", "ValidationException",
                    "InvalidParameterValueException"),
            // Some reads declare no not-found error (License Manager's GetLicense): a name that does not exist is a bad value.
            NotFoundException.class, List.of("NotFoundException", "ResourceNotFoundException", "InvalidParameterValueException",
                    "InvalidParameterException", "ValidationException"),
            ConflictException.class, List.of("ConflictException", "ResourceConflictException"),
            ResourceConflictException.class, List.of("ResourceConflictException", "ConflictException"),
            PermissionDeniedException.class, List.of("UnauthorizedException", "NotAuthorizedException", "AccessDeniedException"),
            UnauthenticatedException.class, List.of("UnauthorizedException", "NotAuthorizedException", "AccessDeniedException"),
            LimitExceededException.class, List.of("LimitExceededException", "TooManyRequestsException"),
            TooManyRequestsException.class, List.of("TooManyRequestsException", "LimitExceededException"),
            FailedPreconditionException.class, List.of("ConflictException", "BadRequestException", "ValidationException",
                    "InvalidParameterException"));
    /** Statuses for names an operation does not declare. */
    private static final Map<Class<? extends TallyException>, Integer> STATUS = Map.of(
            InvalidParameterException.class, 400, NotFoundException.class, 404, ConflictException.class, 409,
            ResourceConflictException.class, 409, PermissionDeniedException.class, 403, UnauthenticatedException.class, 403,
            LimitExceededException.class, 429, TooManyRequestsException.class, 429, FailedPreconditionException.class, 400,
            UnavailableException.class, 503);

    private DomainErrors() {
    }

    public static AwsError toAwsError(TallyException broken, Operation operation) {
        Shapes shapes = operation.service().shapes();
        String reason = broken.reason().awsName();
        if (operation.errors().contains(reason)) {
            return new AwsError(shapes.shape(reason).errorStatus, reason, broken.getMessage());
        }
        for (String name : KINDS.getOrDefault(broken.getClass(), List.of())) {
            if (operation.errors().contains(name)) {
                return new AwsError(shapes.shape(name).errorStatus, name, broken.getMessage());
            }
        }
        return new AwsError(STATUS.getOrDefault(broken.getClass(), 400), reason, broken.getMessage());
    }
}
