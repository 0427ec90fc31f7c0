package dev.tally.domain.common;

/**
 * The AWS-style error names Tally reports in {@code google.rpc.ErrorInfo.reason}. Each RPC family keeps the
 * name its AWS counterpart uses, so one kind of failure can carry several reasons.
 */
public enum ErrorReason {
    INVALID_PARAMETER("InvalidParameterException"),
    BAD_REQUEST("BadRequestException"),
    VALIDATION("ValidationException"),
    UNAUTHORIZED("UnauthorizedException"),
    ACCESS_DENIED("AccessDeniedException"),
    NOT_AUTHORIZED("NotAuthorizedException"),
    RESOURCE_NOT_FOUND("ResourceNotFoundException"),
    NOT_FOUND("NotFoundException"),
    NO_ENTITLEMENTS_ALLOWED("NoEntitlementsAllowedException"),
    CONFLICT("ConflictException"),
    RESOURCE_CONFLICT("ResourceConflictException"),
    LIMIT_EXCEEDED("LimitExceededException"),
    TOO_MANY_REQUESTS("TooManyRequestsException"),
    FAILED_PRECONDITION("FailedPreconditionException"),
    ENTITLEMENT_NOT_ALLOWED("EntitlementNotAllowedException"),
    INTERNAL_ERROR("InternalErrorException"),
    /** The store is down or full; retry. */
    SERVICE_UNAVAILABLE("ServiceUnavailableException"),
    /** SigV4: the access key is not known (or its developer key was revoked). */
    UNRECOGNIZED_CLIENT("UnrecognizedClientException"),
    /** SigV4: the signature does not match, or the request's date is too far from now. */
    INVALID_SIGNATURE("InvalidSignatureException"),
    /** SigV4: the request carries no signature at all. */
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException");

    private final String awsName;

    ErrorReason(String awsName) {
        this.awsName = awsName;
    }

    /** The name as AWS spells it, for example {@code ResourceNotFoundException}. */
    public String awsName() {
        return awsName;
    }
}
