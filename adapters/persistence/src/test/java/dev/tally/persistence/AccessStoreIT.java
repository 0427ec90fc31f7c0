package dev.tally.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.access.AccessService;
import dev.tally.domain.access.DeveloperKey;
import dev.tally.domain.access.DeveloperKeyId;
import dev.tally.domain.access.IssuedToken;
import dev.tally.domain.access.NewAccessKey;
import dev.tally.domain.access.NewDeveloperKey;
import dev.tally.domain.access.SigV4;
import dev.tally.domain.access.SignedRequest;
import dev.tally.domain.access.TokenDigest;
import dev.tally.domain.access.port.out.DeveloperKeyStore.RevokeOutcome;
import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.FailedPreconditionException;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.NotFoundException;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.PageTokens;
import dev.tally.domain.common.SecretBox;
import dev.tally.domain.common.Signer;
import dev.tally.domain.common.UnauthenticatedException;
import dev.tally.domain.sync.IdentityPool;
import dev.tally.domain.sync.IdentityPoolService;
import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Credentials and identity pools over a real store: the access rules end to end below the transport. */
class AccessStoreIT extends StoreContract {

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private JooqDeveloperKeyStore keys;
    private AccessService access;
    private IdentityPoolService pools;
    private Caller admin;

    @BeforeEach
    void wireServices() {
        keys = new JooqDeveloperKeyStore(database);
        JooqIdentityRegistry registry = new JooqIdentityRegistry(database);
        PageTokens pageTokens = new PageTokens(new Signer(new JooqServerSecrets(database).secret("signing")));
        access = new AccessService(keys, new JooqAccessKeyStore(database), new SecretBox(SecretBox.newMasterKey()),
                new JooqIdentityTokenStore(database), registry, pageTokens, clock);
        pools = new IdentityPoolService(registry, pageTokens, clock, "us-east-1");
        String bootstrapToken = access.ensureAdminKey(Optional.empty()).orElseThrow();
        admin = access.authenticate(bootstrapToken);
    }

    @Test
    void accessKeys_verifySignatures_andDieWithTheirDeveloperKey() {
        NewDeveloperKey developer = access.create(admin, "ci");
        Caller ci = access.authenticate(developer.token());
        NewAccessKey key = access.createAccessKey(ci, "laptop");
        assertThat(key.key().id()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secret()).hasSize(40);
        assertThat(access.listAccessKeys(admin, 0, "").items()).containsExactly(key.key());
        assertThat(database.read().fetchValue("SELECT secret_sealed FROM access_key").toString()).doesNotContain(key.secret());

        assertThat(access.authenticate(signed(key, clock.instant(), "payload"))).isEqualTo(ci);
        assertThat(access.authenticateAccessKey(key.key().id(), key.secret())).isEqualTo(ci);
        assertThatThrownBy(() -> access.authenticateAccessKey(key.key().id(), key.secret().substring(1) + "x"))
                .isInstanceOf(UnauthenticatedException.class).hasMessageNotContaining(key.secret());
        assertThatThrownBy(() -> access.authenticateAccessKey("AKIA" + "Z".repeat(16), key.secret())).isInstanceOf(UnauthenticatedException.class);
        assertThatThrownBy(() -> access.authenticate(new SignedRequest(key.key().id(), "20260301", "us-east-1", "apigateway",
                clock.instant(), "payload", "0".repeat(64), Optional.empty())))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_SIGNATURE));
        assertThatThrownBy(() -> access.authenticate(signed(key, clock.instant().minus(Duration.ofMinutes(16)), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.getMessage()).contains("Signature expired"));
        assertThat(access.authenticate(signed(key, clock.instant().plus(Duration.ofMinutes(14)), "payload"))).isEqualTo(ci);

        access.revoke(admin, developer.key().id());
        assertThatThrownBy(() -> access.authenticate(signed(key, clock.instant(), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNRECOGNIZED_CLIENT));
        assertThat(access.listAccessKeys(admin, 0, "").items()).isEmpty();

        NewAccessKey other = access.createAccessKey(admin, "");
        access.deleteAccessKey(admin, other.key().id());
        assertThatThrownBy(() -> access.authenticate(signed(other, clock.instant(), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNRECOGNIZED_CLIENT));
        assertThatThrownBy(() -> access.deleteAccessKey(admin, other.key().id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> access.createAccessKey(admin, "x".repeat(257))).isInstanceOf(InvalidParameterException.class);
    }

    private static SignedRequest signed(NewAccessKey key, Instant at, String stringToSign) {
        return signed(key.key().id(), key.secret(), Optional.empty(), at, stringToSign);
    }

    private static SignedRequest signed(String accessKeyId, String secret, Optional<String> sessionToken, Instant at, String stringToSign) {
        String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneOffset.UTC).format(at);
        return new SignedRequest(accessKeyId, date, "us-east-1", "cognito-sync", at, stringToSign,
                SigV4.signature(SigV4.signingKey(secret, date, "us-east-1", "cognito-sync"), stringToSign), sessionToken);
    }

    @Test
    void identityCredentials_actAsTheirIdentity_withTheirSessionToken_untilExpiryOrRevocation() {
        IdentityPool pool = pools.createPool(admin, "devices");
        IdentityId identity = pools.createIdentity(admin, pool.id());
        IssuedToken issued = access.issue(admin, pool.id(), identity, Optional.of(Duration.ofMinutes(10)));
        IssuedToken.AwsCredentials credentials = issued.credentials();
        assertThat(credentials.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
        assertThat(credentials.secretAccessKey()).hasSize(40);
        assertThat(credentials.sessionToken()).isEqualTo(issued.token());
        assertThat(credentials.expiration()).isEqualTo(issued.expiresAt());
        assertThat(issued.toString()).doesNotContain(credentials.secretAccessKey()).doesNotContain(issued.token());
        assertThat(database.read().fetchValue("SELECT secret_sealed FROM identity_token").toString())
                .doesNotContain(credentials.secretAccessKey());

        Caller device = access.authenticate(signed(credentials.accessKeyId(), credentials.secretAccessKey(),
                Optional.of(credentials.sessionToken()), clock.instant(), "payload"));
        assertThat(device).isEqualTo(access.authenticate(issued.token()));
        assertThat(device).isInstanceOfSatisfying(Caller.Identity.class, holder -> assertThat(holder.identity()).isEqualTo(identity));

        // Without the session token, or with another one, the signature alone is not enough.
        IssuedToken other = access.issue(admin, pool.id(), identity, Optional.empty());
        for (Optional<String> wrong : List.of(Optional.<String>empty(), Optional.of(other.token()))) {
            assertThatThrownBy(() -> access.authenticate(signed(credentials.accessKeyId(), credentials.secretAccessKey(), wrong,
                    clock.instant(), "payload")))
                    .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNRECOGNIZED_CLIENT));
        }
        assertThatThrownBy(() -> access.authenticate(signed(credentials.accessKeyId(), "x".repeat(40),
                Optional.of(credentials.sessionToken()), clock.instant(), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_SIGNATURE));

        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> access.authenticate(signed(credentials.accessKeyId(), credentials.secretAccessKey(),
                Optional.of(credentials.sessionToken()), clock.instant(), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.getMessage()).contains("expired"));

        IssuedToken.AwsCredentials live = other.credentials();
        assertThat(access.authenticate(signed(live.accessKeyId(), live.secretAccessKey(), Optional.of(live.sessionToken()),
                clock.instant(), "payload"))).isInstanceOf(Caller.Identity.class);
        access.revoke(admin, pool.id(), identity);
        assertThatThrownBy(() -> access.authenticate(signed(live.accessKeyId(), live.secretAccessKey(), Optional.of(live.sessionToken()),
                clock.instant(), "payload")))
                .isInstanceOfSatisfying(UnauthenticatedException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UNRECOGNIZED_CLIENT));
    }

    @Test
    void migrations_applyToAnEmptyStore_andAreIdempotentOnRestart() {
        NewDeveloperKey created = access.create(admin, "ci");
        database.close();

        database = new Database(store.settings());
        database.start();
        keys = new JooqDeveloperKeyStore(database);

        assertThat(keys.find(created.key().id())).contains(created.key());
        assertThat(database.read().fetchCount(dev.tally.persistence.jooq.Tables.DEVELOPER_KEY)).isEqualTo(2);
    }

    @Test
    void bootstrap_createsTheFirstKeyOnce_evenWhenServersRace() throws Exception {
        assertThat(access.ensureAdminKey(Optional.empty())).isEmpty();
        database.write(tx -> tx.deleteFrom(dev.tally.persistence.jooq.Tables.DEVELOPER_KEY).execute());

        List<Optional<String>> results = race(java.util.Collections.nCopies(8, () -> access.ensureAdminKey(Optional.empty())));

        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(access.authenticate(results.stream().flatMap(Optional::stream).findFirst().orElseThrow()))
                .isEqualTo(new Caller.Developer(DeveloperKeyId.BOOTSTRAP.value()));
    }

    @Test
    void store_keepsOnlyTheDigestOfATokenAndNeverTheToken() {
        NewDeveloperKey created = access.create(admin, "reporting");

        String stored = database.read().select(dev.tally.persistence.jooq.Tables.DEVELOPER_KEY.TOKEN_SHA256)
                .from(dev.tally.persistence.jooq.Tables.DEVELOPER_KEY)
                .where(dev.tally.persistence.jooq.Tables.DEVELOPER_KEY.KEY_ID.eq(created.key().id().value()))
                .fetchSingle().value1();
        assertThat(stored).isEqualTo(TokenDigest.of(created.token()).sha256()).doesNotContain(created.token());
        assertThat(access.authenticate(created.token())).isEqualTo(new Caller.Developer(created.key().id().value()));
    }

    @Test
    void revokedKey_isNoLongerAccepted() {
        NewDeveloperKey created = access.create(admin, "temporary");

        DeveloperKey revoked = access.revoke(admin, created.key().id());

        assertThat(revoked.revokedAt()).contains(clock.instant());
        assertThatThrownBy(() -> access.authenticate(created.token()))
                .isInstanceOf(UnauthenticatedException.class).hasMessageContaining("revoked");
    }

    @Test
    void revocationByAnotherServer_takesEffectWithinTheCredentialCacheTime() {
        NewDeveloperKey created = access.create(admin, "cached");
        access.authenticate(created.token());

        keys.revokeUnlessLast(created.key().id(), clock.instant());

        assertThat(access.authenticate(created.token())).as("still trusted from the cache").isNotNull();
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> access.authenticate(created.token())).isInstanceOf(UnauthenticatedException.class);
    }

    @Test
    void revokingTheLastActiveKey_isRefused() {
        assertThatThrownBy(() -> access.revoke(admin, DeveloperKeyId.BOOTSTRAP))
                .isInstanceOf(FailedPreconditionException.class).hasMessageContaining("last active key");
        assertThatThrownBy(() -> access.revoke(admin, new DeveloperKeyId("0123456789abcdef")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void concurrentRevocationsOfTheLastTwoKeys_neverBothSucceed() throws Exception {
        for (int round = 0; round < 10; round++) {
            DeveloperKeyId other = access.create(admin, "round " + round).key().id();
            DeveloperKeyId current = new DeveloperKeyId(((Caller.Developer) admin).keyId());
            for (DeveloperKey key : listAll()) {
                if (key.active() && !key.id().equals(other) && !key.id().equals(current)) {
                    keys.revokeUnlessLast(key.id(), clock.instant());
                }
            }

            List<RevokeOutcome> outcomes = race(List.of(
                    () -> keys.revokeUnlessLast(current, clock.instant()),
                    () -> keys.revokeUnlessLast(other, clock.instant())));

            assertThat(outcomes).containsExactlyInAnyOrder(RevokeOutcome.REVOKED, RevokeOutcome.LAST_ACTIVE);
            DeveloperKeyId survivor = outcomes.get(0) == RevokeOutcome.LAST_ACTIVE ? current : other;
            admin = new Caller.Developer(survivor.value());
        }
        assertThat(listAll()).filteredOn(DeveloperKey::active).hasSize(1);
    }

    @Test
    void listing_pagesThroughEveryKeyOnceInIdOrder() {
        for (int i = 0; i < 7; i++) {
            access.create(admin, "key " + i);
        }

        List<DeveloperKey> all = listAll();

        assertThat(all).hasSize(8);
        assertThat(all).extracting(k -> k.id().value()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void identityTokens_areScopedToTheirIdentity_andExpire() {
        IdentityPool pool = pools.createPool(admin, "mobile app");
        IdentityId identity = pools.createIdentity(admin, pool.id());

        IssuedToken issued = access.issue(admin, pool.id(), identity, Optional.of(Duration.ofMinutes(5)));

        assertThat(access.authenticate(issued.token())).isInstanceOfSatisfying(Caller.Identity.class, caller -> {
            assertThat(caller.pool()).isEqualTo(pool.id());
            assertThat(caller.identity()).isEqualTo(identity);
        });
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> access.authenticate(issued.token()))
                .isInstanceOf(UnauthenticatedException.class).hasMessageContaining("expired");
    }

    @Test
    void identitiesAndTokens_needAnExistingPoolAndIdentity() {
        IdentityPoolId unknownPool = new IdentityPoolId("us-east-1:00000000-0000-0000-0000-000000000000");
        IdentityPool pool = pools.createPool(admin, "web");

        assertThatThrownBy(() -> pools.createIdentity(admin, unknownPool)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(unknownPool.value());
        assertThatThrownBy(() -> access.issue(admin, pool.id(), new IdentityId("us-east-1:0000"), Optional.empty()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("us-east-1:0000");
    }

    @Test
    void pageTokenSecret_isSharedByEveryServerOfOneStore() {
        byte[] first = new JooqServerSecrets(database).secret("signing");
        Database second = new Database(store.settings());
        second.start();
        try {
            assertThat(new JooqServerSecrets(second).secret("signing")).isEqualTo(first).hasSize(32);
        } finally {
            second.close();
        }
    }

    private List<DeveloperKey> listAll() {
        List<DeveloperKey> all = new ArrayList<>();
        String token = "";
        do {
            Page<DeveloperKey> page = access.list(admin, 3, token);
            all.addAll(page.items());
            token = page.nextToken();
        } while (!token.isEmpty());
        return all;
    }

    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        List<T> results = new ArrayList<>();
        for (Races.Outcome<T> outcome : Races.race(tasks)) {
            if (!outcome.succeeded()) {
                throw new AssertionError(outcome.failure());
            }
            results.add(outcome.result());
        }
        return results;
    }
}
