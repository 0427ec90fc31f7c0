package dev.tally.domain.access;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.access.port.in.BootstrapAdmin;
import dev.tally.domain.access.port.in.IssueIdentityTokens;
import dev.tally.domain.access.port.in.ManageAccessKeys;
import dev.tally.domain.access.port.in.ManageDeveloperKeys;
import dev.tally.domain.access.port.out.AccessKeyStore;
import dev.tally.domain.access.port.out.DeveloperKeyStore;
import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.access.port.out.IdentityTokenStore;
import dev.tally.domain.common.Telemetry;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.ExpiringCache;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.Ids;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageRequest;
import dev.tally.domain.common.PageSpec;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.SecretBox;
import dev.tally.domain.common.TallyException;
import dev.tally.domain.common.UnauthenticatedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Credentials: developer keys, identity tokens, access keys (SigV4), authentication and the first-start
 * bootstrap.
 */
public final class AccessService implements AuthenticateCaller, ManageDeveloperKeys, ManageAccessKeys, IssueIdentityTokens,
        BootstrapAdmin {

    static final Duration DEFAULT_IDENTITY_TTL = Duration.ofHours(1);
    static final Duration MIN_IDENTITY_TTL = Duration.ofMinutes(1);
    static final Duration MAX_IDENTITY_TTL = Duration.ofHours(24);
    private static final Pattern KEY_NAME = Pattern.compile("^\\P{Cc}{1,128}$");
    private static final String LIST_SCOPE = "ListDeveloperKeys";
    private static final String ACCESS_KEY_LIST_SCOPE = "ListAccessKeys";
    private static final Pattern ACCESS_KEY_DESCRIPTION = Pattern.compile("^\\P{Cc}{0,256}$");
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("^AKIA[A-Z2-7]{16}$");
    /** The access key ids of identity tokens' temporary credentials, as STS's. */
    private static final Pattern TEMPORARY_ACCESS_KEY_ID = Pattern.compile("^ASIA[A-Z2-7]{16}$");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** How far a signed request's date may be from now, as AWS allows. */
    static final Duration MAX_SIGNATURE_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter SCOPE_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final int SIGNING_KEY_CACHE_MAX = 10_000;
    /**
     * How long an authenticated token is trusted without asking the store again. Revocation on this server
     * takes effect at once; on another server sharing the database, within this time.
     */
    static final Duration CREDENTIAL_CACHE_TTL = Duration.ofSeconds(5);
    private static final int CREDENTIAL_CACHE_MAX = 100_000;

    /** A caller as authenticated, trusted until {@code validUntil}. */
    private record Authenticated(Caller caller, Instant validUntil) {
    }

    /**
     * An access key as last read: who it acts as, and its opened secret. Temporary (identity) credentials
     * also carry the digest of their session token and their expiry.
     */
    private record TrustedAccessKey(Caller caller, String secret, Optional<TokenDigest> sessionToken, Instant expiresAt) {
    }

    private final DeveloperKeyStore developerKeys;
    private final AccessKeyStore accessKeys;
    private final SecretBox secrets;
    private final IdentityTokenStore identityTokens;
    private final IdentityDirectory identities;
    private final PageTokens pageTokens;
    private final Clock clock;
    private final ConcurrentMap<String, Authenticated> authenticated = new ConcurrentHashMap<>();
    /** Access keys trusted as read for {@link #CREDENTIAL_CACHE_TTL}, as tokens are; unknown ids too, for as long. */
    private final ExpiringCache<String, TrustedAccessKey> trustedAccessKeys;
    /**
     * SigV4 signing keys by access key, date, region and service: four HMACs saved on every request. Only
     * used after the access key itself was found trusted, so a deleted key's entries are inert.
     */
    private final ConcurrentMap<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    public AccessService(DeveloperKeyStore developerKeys, AccessKeyStore accessKeys, SecretBox secrets,
                         IdentityTokenStore identityTokens, IdentityDirectory identities, PageTokens pageTokens, Clock clock) {
        this(developerKeys, accessKeys, secrets, identityTokens, identities, pageTokens, clock, Telemetry.NONE);
    }

    public AccessService(DeveloperKeyStore developerKeys, AccessKeyStore accessKeys, SecretBox secrets,
                         IdentityTokenStore identityTokens, IdentityDirectory identities, PageTokens pageTokens, Clock clock,
                         Telemetry telemetry) {
        this.developerKeys = requireNonNull(developerKeys, "developerKeys");
        this.accessKeys = requireNonNull(accessKeys, "accessKeys");
        this.secrets = requireNonNull(secrets, "secrets");
        this.identityTokens = requireNonNull(identityTokens, "identityTokens");
        this.identities = requireNonNull(identities, "identities");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
        this.trustedAccessKeys = new ExpiringCache<>(clock, CREDENTIAL_CACHE_TTL, CREDENTIAL_CACHE_MAX);
        telemetry.cache("access_key", trustedAccessKeys::hits, trustedAccessKeys::misses);
    }

    @Override
    public Caller authenticate(String bearerToken) {
        if (!BearerTokens.wellFormed(bearerToken)) {
            throw unauthenticated("the bearer token is malformed");
        }
        TokenDigest digest = TokenDigest.of(bearerToken);
        Instant now = clock.instant();
        Authenticated cached = authenticated.get(digest.sha256());
        if (cached != null && now.isBefore(cached.validUntil())) {
            return cached.caller();
        }
        Authenticated fresh = BearerTokens.isIdentityToken(bearerToken) ? authenticateIdentity(digest, now)
                : new Authenticated(authenticateDeveloper(digest), now.plus(CREDENTIAL_CACHE_TTL));
        if (authenticated.size() >= CREDENTIAL_CACHE_MAX) {
            authenticated.clear();
        }
        authenticated.put(digest.sha256(), fresh);
        return fresh.caller();
    }

    @Override
    public Caller authenticate(SignedRequest request) {
        Instant now = clock.instant();
        TrustedAccessKey key = trustedAccessKeys.get(request.accessKeyId(), this::loadAccessKey).orElseThrow(() ->
                new UnauthenticatedException(ErrorReason.UNRECOGNIZED_CLIENT, null, "The security token included in the request"
                        + " is invalid: access key " + TallyException.quote(request.accessKeyId()) + " is not known"));
        if (key.sessionToken().isPresent()) {
            if (request.securityToken().isEmpty() || !key.sessionToken().get().matches(TokenDigest.of(request.securityToken().get()).sha256())) {
                throw new UnauthenticatedException(ErrorReason.UNRECOGNIZED_CLIENT, null, "The security token included in the request"
                        + " is invalid: temporary credentials need the session token they were issued with (X-Amz-Security-Token)");
            }
            if (!now.isBefore(key.expiresAt())) {
                throw new UnauthenticatedException(ErrorReason.UNRECOGNIZED_CLIENT, null, "The security token included in the request"
                        + " is expired: issue a new identity token");
            }
        }
        if (!isDateOf(request.scopeDate(), request.signedAt())) {
            throw new UnauthenticatedException(ErrorReason.INVALID_SIGNATURE, null, "Credential should be scoped to a valid date: "
                    + TallyException.quote(request.scopeDate()) + " is not the date of X-Amz-Date "
                    + SCOPE_DATE.format(request.signedAt()));
        }
        if (Duration.between(request.signedAt(), now).abs().compareTo(MAX_SIGNATURE_SKEW) > 0) {
            throw new UnauthenticatedException(ErrorReason.INVALID_SIGNATURE, null, "Signature expired: "
                    + request.signedAt() + " is more than 15 minutes from the server's time " + now.truncatedTo(ChronoUnit.SECONDS));
        }
        String scope = request.accessKeyId() + "/" + request.scopeDate() + "/" + request.region() + "/" + request.service();
        byte[] signingKey = signingKeys.get(scope);
        if (signingKey == null) {
            if (signingKeys.size() >= SIGNING_KEY_CACHE_MAX) {
                signingKeys.clear();
            }
            signingKey = SigV4.signingKey(key.secret(), request.scopeDate(), request.region(), request.service());
            signingKeys.put(scope, signingKey);
        }
        if (!SigV4.sameSignature(SigV4.signature(signingKey, request.stringToSign()), request.signature())) {
            throw new UnauthenticatedException(ErrorReason.INVALID_SIGNATURE, null, "The request signature we calculated does not"
                    + " match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return key.caller();
    }

    @Override
    public Caller authenticateAccessKey(String accessKeyId, String secret) {
        // Only long-lived access keys: temporary credentials come with a session token the console does not take.
        Optional<TrustedAccessKey> key = ACCESS_KEY_ID.matcher(accessKeyId).matches()
                ? trustedAccessKeys.get(accessKeyId, this::loadAccessKey) : Optional.empty();
        if (key.isEmpty()
                || !MessageDigest.isEqual(key.get().secret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw unauthenticated("the access key or its secret is not right");
        }
        return key.get().caller();
    }

    /** Whether {@code yyyyMMdd} is the UTC date of {@code instant}, without a formatter (this runs on every signed request). */
    private static boolean isDateOf(String yyyyMMdd, Instant instant) {
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), 86_400));
        int expected = day.getYear() * 10_000 + day.getMonthValue() * 100 + day.getDayOfMonth();
        if (yyyyMMdd.length() != 8) {
            return false;
        }
        int value = 0;
        for (int i = 0; i < 8; i++) {
            char c = yyyyMMdd.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value == expected;
    }

    /** The access key as stored, if it is one and its developer key is active; or an identity token's credentials. */
    private Optional<TrustedAccessKey> loadAccessKey(String accessKeyId) {
        if (TEMPORARY_ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            return identityTokens.findByAccessKey(accessKeyId).map(stored -> {
                StoredIdentityToken token = stored.token();
                return new TrustedAccessKey(new Caller.Identity(token.tokenId(), token.pool(), token.identity()),
                        secrets.open(identityCredentialContext(accessKeyId), stored.sealedSecret()), Optional.of(token.digest()),
                        token.expiresAt());
            });
        }
        if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            return Optional.empty();
        }
        return accessKeys.find(accessKeyId).filter(StoredAccessKey::developerKeyActive)
                .map(stored -> new TrustedAccessKey(new Caller.Developer(stored.key().developerKey().value()),
                        secrets.open(accessKeyContext(accessKeyId), stored.sealedSecret()), Optional.empty(), Instant.MAX));
    }

    private static String identityCredentialContext(String accessKeyId) {
        return "identity-credential/" + accessKeyId;
    }

    /** What a sealed secret is bound to: a secret copied to another key's row does not open. */
    private static String accessKeyContext(String accessKeyId) {
        return "access-key/" + accessKeyId;
    }

    @Override
    public NewAccessKey createAccessKey(Caller caller, String description) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Ids.require("description", description, ACCESS_KEY_DESCRIPTION, ErrorReason.INVALID_PARAMETER,
                "at most 256 printable characters");
        String id = "AKIA" + Ids.random(BASE32, 16);
        String secret = Ids.randomAlnum(40);
        AccessKey key = new AccessKey(id, description, new DeveloperKeyId(((Caller.Developer) caller).keyId()), now());
        accessKeys.insert(key, secrets.seal(accessKeyContext(id), secret));
        return new NewAccessKey(key, secret);
    }

    @Override
    public Page<AccessKey> listAccessKeys(Caller caller, int pageSize, String pageToken) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        PageRequest request = pageTokens.request(PageSpec.STANDARD, ACCESS_KEY_LIST_SCOPE, pageSize, pageToken);
        return pageTokens.page(ACCESS_KEY_LIST_SCOPE, request, accessKeys.list(request), AccessKey::id);
    }

    @Override
    public void deleteAccessKey(Caller caller, String accessKeyId) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        if (!accessKeys.delete(accessKeyId)) {
            throw new NotFoundException("access_key_id", "access key " + TallyException.quote(accessKeyId) + " does not exist");
        }
        trustedAccessKeys.invalidate(accessKeyId);
        signingKeys.keySet().removeIf(scope -> scope.startsWith(accessKeyId + "/"));
    }

    private Caller authenticateDeveloper(TokenDigest digest) {
        for (StoredDeveloperCredential stored : developerKeys.findByLookup(digest.lookup())) {
            if (digest.matches(stored.sha256())) {
                if (!stored.active()) {
                    throw unauthenticated("the developer key has been revoked");
                }
                return new Caller.Developer(stored.keyId().value());
            }
        }
        throw unauthenticated("the bearer token is not known");
    }

    private Authenticated authenticateIdentity(TokenDigest digest, Instant now) {
        for (StoredIdentityToken stored : identityTokens.findByLookup(digest.lookup())) {
            if (digest.matches(stored.digest().sha256())) {
                if (!now.isBefore(stored.expiresAt())) {
                    throw unauthenticated("the identity token has expired");
                }
                Instant trustedUntil = now.plus(CREDENTIAL_CACHE_TTL);
                return new Authenticated(new Caller.Identity(stored.tokenId(), stored.pool(), stored.identity()),
                        trustedUntil.isBefore(stored.expiresAt()) ? trustedUntil : stored.expiresAt());
            }
        }
        throw unauthenticated("the bearer token is not known");
    }

    @Override
    public NewDeveloperKey create(Caller caller, String name) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Ids.require("name", name, KEY_NAME, ErrorReason.INVALID_PARAMETER, "1..128 printable characters");
        String token = BearerTokens.newDeveloperToken();
        DeveloperKey key = new DeveloperKey(DeveloperKeyId.generate(), name, now(), Optional.empty());
        developerKeys.insert(key, TokenDigest.of(token));
        return new NewDeveloperKey(key, token);
    }

    @Override
    public Page<DeveloperKey> list(Caller caller, int pageSize, String pageToken) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        PageRequest request = pageTokens.request(PageSpec.STANDARD, LIST_SCOPE, pageSize, pageToken);
        return pageTokens.page(LIST_SCOPE, request, developerKeys.list(request), key -> key.id().value());
    }

    @Override
    public DeveloperKey revoke(Caller caller, DeveloperKeyId keyId) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        switch (developerKeys.revokeUnlessLast(keyId, now())) {
            case NOT_FOUND -> throw new NotFoundException("key_id", "developer key '" + keyId + "' does not exist");
            case LAST_ACTIVE -> throw new FailedPreconditionException("key_id",
                    "developer key '" + keyId + "' is the last active key; create another before revoking it");
            case REVOKED, ALREADY_REVOKED -> {
                // Either way the key is revoked now: forget it was ever authenticated here, and return it as stored.
                Caller revoked = new Caller.Developer(keyId.value());
                // The identity tokens it issued die with it; which cached identity callers they were is not known
                // here, so every cached identity token is checked again (revocations are rare).
                identityTokens.deleteIssuedBy(keyId.value());
                authenticated.values().removeIf(entry -> entry.caller().equals(revoked) || entry.caller() instanceof Caller.Identity);
                // Its access keys are read again (revocations are rare): they now fail as not known.
                trustedAccessKeys.invalidateIf(accessKeyId -> true);
            }
        }
        return developerKeys.find(keyId).orElseThrow();
    }

    @Override
    public IssuedToken issue(Caller caller, IdentityPoolId pool, IdentityId identity, Optional<Duration> ttl) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        Duration lifetime = ttl.orElse(DEFAULT_IDENTITY_TTL);
        if (lifetime.compareTo(MIN_IDENTITY_TTL) < 0 || lifetime.compareTo(MAX_IDENTITY_TTL) > 0) {
            throw new InvalidParameterException("ttl", "ttl " + lifetime.toSeconds()
                    + "s is out of range: expected 60s (1 minute) to 86400s (24 hours)");
        }
        requireIdentity(pool, identity);
        String token = BearerTokens.newIdentityToken();
        Instant issuedAt = now();
        Instant expiresAt = issuedAt.plus(lifetime);
        String accessKeyId = "ASIA" + Ids.random(BASE32, 16);
        String secret = Ids.randomAlnum(40);
        identityTokens.insert(new StoredIdentityToken(Ids.randomLowerAlnum(16), TokenDigest.of(token), pool, identity,
                issuedAt, expiresAt, Optional.of(((Caller.Developer) caller).keyId())), accessKeyId,
                secrets.seal(identityCredentialContext(accessKeyId), secret));
        return new IssuedToken(token, expiresAt, new IssuedToken.AwsCredentials(accessKeyId, secret, token, expiresAt));
    }

    @Override
    public int revoke(Caller caller, IdentityPoolId pool, IdentityId identity) {
        caller.requireDeveloper(ErrorReason.ACCESS_DENIED);
        requireIdentity(pool, identity);
        int revoked = identityTokens.deleteFor(pool, identity, now());
        authenticated.values().removeIf(entry -> entry.caller() instanceof Caller.Identity holder
                && holder.pool().equals(pool) && holder.identity().equals(identity));
        trustedAccessKeys.invalidateIf(accessKeyId -> accessKeyId.startsWith("ASIA"));
        return revoked;
    }

    private void requireIdentity(IdentityPoolId pool, IdentityId identity) {
        if (!identities.poolExists(pool)) {
            throw new NotFoundException("identity_pool_id", "identity pool '" + pool + "' does not exist");
        }
        if (!identities.identityExists(pool, identity)) {
            throw new NotFoundException("identity_id", "identity '" + identity + "' does not exist in pool '" + pool + "'");
        }
    }

    @Override
    public Optional<String> ensureAdminKey(Optional<String> configuredToken) {
        configuredToken.ifPresent(token -> {
            if (!BearerTokens.wellFormed(token)) {
                throw new IllegalArgumentException(
                        "TALLY_BOOTSTRAP_TOKEN must be 32..512 printable ASCII characters without spaces");
            }
            if (BearerTokens.isIdentityToken(token)) {
                // It would be read as an identity token on every call, and lock the operator out.
                throw new IllegalArgumentException("TALLY_BOOTSTRAP_TOKEN must not start with '" + BearerTokens.IDENTITY_PREFIX
                        + "', the prefix of identity tokens");
            }
        });
        String token = configuredToken.orElseGet(BearerTokens::newDeveloperToken);
        DeveloperKey key = new DeveloperKey(DeveloperKeyId.BOOTSTRAP, "bootstrap admin", now(), Optional.empty());
        return developerKeys.insertIfEmpty(key, TokenDigest.of(token)) ? Optional.of(token) : Optional.empty();
    }

    private Instant now() {
        // Stored timestamps keep milliseconds; truncate so what is returned equals what is read back.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static UnauthenticatedException unauthenticated(String message) {
        return new UnauthenticatedException(null, message);
    }
}
