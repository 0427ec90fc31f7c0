package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How errors echo what a caller sent: quoted, capped, and never half a character. */
class QuoteTest {

    @Test
    void shortValues_areQuotedWhole() {
        assertThat(TallyException.quote("my-app")).isEqualTo("'my-app'");
        assertThat(TallyException.quote(null)).isEqualTo("'null'");
    }

    @Test
    void longValues_areCutAt80Characters() {
        assertThat(TallyException.quote("x".repeat(5000))).isEqualTo("'" + "x".repeat(80) + "...'");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String id = "x".repeat(79) + "😀" + "tail";
        String quoted = TallyException.quote(id);
        assertThat(quoted).isEqualTo("'" + "x".repeat(79) + "...'");
        assertThat(quoted.codePoints().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        assertThat(TallyException.quote("x".repeat(78) + "😀" + "tail")).isEqualTo("'" + "x".repeat(78) + "😀...'");
    }
}
