package dev.tally.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.Caller;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.PermissionDeniedException;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    private static final IdentityPoolId POOL = new IdentityPoolId("us-east-1:0000aaaa-0000-0000-0000-000000000001");
    private static final IdentityId ALICE = new IdentityId("us-east-1:0000aaaa-0000-0000-0000-0000000000a1");
    private static final IdentityId BOB = new IdentityId("us-east-1:0000aaaa-0000-0000-0000-0000000000b0");

    @Test
    void generatedTokens_carry256RandomBitsAndAKindPrefix() {
        String developer = BearerTokens.newDeveloperToken();
        String identity = BearerTokens.newIdentityToken();

        assertThat(developer).startsWith("tally_dev_").hasSize("tally_dev_".length() + 43);
        assertThat(identity).startsWith("tally_idt_");
        assertThat(BearerTokens.newDeveloperToken()).isNotEqualTo(developer);
        assertThat(BearerTokens.wellFormed(developer)).isTrue();
    }

    @Test
    void wellFormed_rejectsShortSpacedAndNonAsciiTokens() {
        assertThat(BearerTokens.wellFormed("short")).isFalse();
        assertThat(BearerTokens.wellFormed("a".repeat(31) + " ")).isFalse();
        assertThat(BearerTokens.wellFormed("é".repeat(40))).isFalse();
        assertThat(BearerTokens.wellFormed("a".repeat(513))).isFalse();
        assertThat(BearerTokens.wellFormed(null)).isFalse();
    }

    @Test
    void digest_isSha256WithA16DigitLookup_andMatchesOnlyItsOwnToken() {
        TokenDigest digest = TokenDigest.of("abc");

        assertThat(digest.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(digest.lookup()).isEqualTo("ba7816bf8f01cfea");
        assertThat(digest.matches(TokenDigest.of("abc").sha256())).isTrue();
        assertThat(digest.matches(TokenDigest.of("abd").sha256())).isFalse();
    }

    @Test
    void identityCaller_mayAccessOnlyItsOwnIdentity_andNeverDeveloperOperations() {
        Caller alice = new Caller.Identity("t1", POOL, ALICE);
        Caller developer = new Caller.Developer("k1");

        alice.requireDeveloperOrSelf(POOL, ALICE, ErrorReason.NOT_AUTHORIZED);
        developer.requireDeveloperOrSelf(POOL, BOB, ErrorReason.NOT_AUTHORIZED);
        developer.requireDeveloper(ErrorReason.ACCESS_DENIED);
        assertThatThrownBy(() -> alice.requireDeveloperOrSelf(POOL, BOB, ErrorReason.NOT_AUTHORIZED))
                .isInstanceOfSatisfying(PermissionDeniedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_AUTHORIZED))
                .hasMessageNotContaining(BOB.value());
        assertThatThrownBy(() -> alice.requireDeveloper(ErrorReason.ACCESS_DENIED))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
