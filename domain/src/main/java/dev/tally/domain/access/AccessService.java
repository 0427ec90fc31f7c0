package dev.tally.domain.access;

import static java.util.Objects.requireNonNull;

import dev.tally.domain.access.port.in.AuthenticateCaller;
import dev.tally.domain.access.port.in.BootstrapAdmin;
import dev.tally.domain.access.port.in.IssueIdentityTokens;
import dev.tally.domain.access.port.in.ManageDeveloperKeys;
import dev.tally.domain.access.port.out.DeveloperKeyStore;
import dev.tally.domain.access.port.out.IdentityDirectory;
import dev.tally.domain.access.port.out.IdentityTokenStore;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
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
import dev.tally.domain.common.UnauthenticatedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/** Credentials: developer keys, identity tokens, authentication and the first-start bootstrap. */
public final class AccessService implements AuthenticateCaller, ManageDeveloperKeys, IssueIdentityTokens, BootstrapAdmin {

    static final Duration DEFAULT_IDENTITY_TTL = Duration.ofHours(1);
    static final Duration MIN_IDENTITY_TTL = Duration.ofMinutes(1);
    static final Duration MAX_IDENTITY_TTL = Duration.ofHours(24);
    private static final Pattern KEY_NAME = Pattern.compile("^\\P{Cc}{1,128}$");
    private static final String LIST_SCOPE = "ListDeveloperKeys";
    /**
     * How long an authenticated token is trusted without asking the store again. Revocation on this server
     * takes effect at once; on another server sharing the database, within this time.
     */
    static final Duration CREDENTIAL_CACHE_TTL = Duration.ofSeconds(5);
    private static final int CREDENTIAL_CACHE_MAX = 100_000;

    /** A caller as authenticated, trusted until {@code validUntil}. */
    private record Authenticated(Caller caller, Instant validUntil) {
    }

    private final DeveloperKeyStore developerKeys;
    private final IdentityTokenStore identityTokens;
    private final IdentityDirectory identities;
    private final PageTokens pageTokens;
    private final Clock clock;
    private final ConcurrentMap<String, Authenticated> authenticated = new ConcurrentHashMap<>();

    public AccessService(DeveloperKeyStore developerKeys, IdentityTokenStore identityTokens,
                         IdentityDirectory identities, PageTokens pageTokens, Clock clock) {
        this.developerKeys = requireNonNull(developerKeys, "developerKeys");
        this.identityTokens = requireNonNull(identityTokens, "identityTokens");
        this.identities = requireNonNull(identities, "identities");
        this.pageTokens = requireNonNull(pageTokens, "pageTokens");
        this.clock = requireNonNull(clock, "clock");
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
                authenticated.values().removeIf(entry -> entry.caller().equals(revoked));
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
        if (!identities.poolExists(pool)) {
            throw new NotFoundException("identity_pool_id", "identity pool '" + pool + "' does not exist");
        }
        if (!identities.identityExists(pool, identity)) {
            throw new NotFoundException("identity_id", "identity '" + identity + "' does not exist in pool '" + pool + "'");
        }
        String token = BearerTokens.newIdentityToken();
        Instant issuedAt = now();
        Instant expiresAt = issuedAt.plus(lifetime);
        identityTokens.insert(new StoredIdentityToken(Ids.randomLowerAlnum(16), TokenDigest.of(token), pool, identity,
                issuedAt, expiresAt));
        return new IssuedToken(token, expiresAt);
    }

    @Override
    public Optional<String> ensureAdminKey(Optional<String> configuredToken) {
        configuredToken.ifPresent(token -> {
            if (!BearerTokens.wellFormed(token)) {
                throw new IllegalArgumentException(
                        "TALLY_BOOTSTRAP_TOKEN must be 32..512 printable ASCII characters without spaces");
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
