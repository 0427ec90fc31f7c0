package dev.tally.domain.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a SigV4-signed request claims, once the front door has canonicalized it: who signed, when, for which
 * scope, the string it says it signed, and the signature.
 *
 * @param scopeDate the credential scope's date, {@code yyyyMMdd}
 * @param signedAt the request's {@code X-Amz-Date}
 * @param securityToken the {@code X-Amz-Security-Token} sent with temporary credentials
 */
public record SignedRequest(String accessKeyId, String scopeDate, String region, String service, Instant signedAt,
                            String stringToSign, String signature, Optional<String> securityToken) {

    public SignedRequest {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(scopeDate, "scopeDate");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(signedAt, "signedAt");
        Objects.requireNonNull(stringToSign, "stringToSign");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(securityToken, "securityToken");
    }
}
