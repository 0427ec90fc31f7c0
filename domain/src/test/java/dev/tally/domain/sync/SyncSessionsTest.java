package dev.tally.domain.sync;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.domain.common.IdentityId;
import dev.tally.domain.common.IdentityPoolId;
import dev.tally.domain.common.InvalidParameterException;
import dev.tally.domain.common.Signer;
import dev.tally.domain.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyncSessionsTest {

    private static final IdentityPoolId POOL = new IdentityPoolId("us-east-1:00000000-0000-0000-0000-000000000001");
    private static final IdentityId ALICE = new IdentityId("us-east-1:00000000-0000-0000-0000-0000000000a1");
    private static final IdentityId BOB = new IdentityId("us-east-1:00000000-0000-0000-0000-0000000000b0");
    private static final DatasetName SETTINGS = new DatasetName("settings");

    private final TestClock clock = new TestClock(Instant.parse("2026-05-01T12:00:00Z"));
    private final SyncSessions sessions = new SyncSessions(new Signer(new byte[32]), clock);

    @Test
    void session_isValidForOneHour_forItsIdentityAndDatasetOnly() {
        String token = sessions.start(POOL, ALICE, SETTINGS);

        assertThatCode(() -> sessions.verify(token, POOL, ALICE, SETTINGS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> sessions.verify(token, POOL, BOB, SETTINGS))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("another identity or dataset");
        assertThatThrownBy(() -> sessions.verify(token, POOL, ALICE, new DatasetName("other")))
                .isInstanceOf(InvalidParameterException.class);

        clock.advance(Duration.ofMinutes(59));
        assertThatCode(() -> sessions.verify(token, POOL, ALICE, SETTINGS)).doesNotThrowAnyException();
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> sessions.verify(token, POOL, ALICE, SETTINGS))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("expired");
    }

    @Test
    void missingOrAlteredToken_isInvalid() {
        String token = sessions.start(POOL, ALICE, SETTINGS);

        assertThatThrownBy(() -> sessions.verify("", POOL, ALICE, SETTINGS)).hasMessageContaining("required");
        assertThatThrownBy(() -> sessions.verify(token.substring(1), POOL, ALICE, SETTINGS))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sessions.verify(new SyncSessions(new Signer(new byte[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), clock).start(POOL, ALICE, SETTINGS), POOL, ALICE, SETTINGS))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void datasetName_followsCognitosPattern() {
        assertThatCode(() -> new DatasetName("a.b:c-d_e")).doesNotThrowAnyException();
        assertThatCode(() -> new DatasetName("x".repeat(128))).doesNotThrowAnyException();
        assertThatThrownBy(() -> new DatasetName("x".repeat(129))).hasMessageContaining("dataset_name");
        assertThatThrownBy(() -> new DatasetName("has space")).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> new DatasetName("")).isInstanceOf(InvalidParameterException.class);
    }
}
