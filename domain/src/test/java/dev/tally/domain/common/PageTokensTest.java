package dev.tally.domain.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PageTokensTest {

    private final PageTokens tokens = new PageTokens(new Signer(new byte[32]));

    @Test
    void token_roundTripsItsCursorWithinItsScope() {
        String token = tokens.issue("ListUsagePlans", "q2hrol");

        assertThat(tokens.cursor(PageSpec.STANDARD, "ListUsagePlans", token)).contains("q2hrol");
        assertThat(tokens.cursor(PageSpec.STANDARD, "ListUsagePlans", "")).isEmpty();
    }

    @Test
    void alteredToken_isRejected_naming_theTokenField() {
        String token = tokens.issue("ListUsagePlans", "q2hrol");
        byte[] raw = Base64.getUrlDecoder().decode(token);
        raw[0] ^= 1;
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

        assertThatThrownBy(() -> tokens.cursor(PageSpec.STANDARD, "ListUsagePlans", altered))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("page_token");
        assertThatThrownBy(() -> tokens.cursor(PageSpec.STANDARD, "ListUsagePlans", "%%%"))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> tokens.cursor(PageSpec.STANDARD, "ListUsagePlans", "AAAA"))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void foreignToken_fromAnotherScopeOrServerSecret_isRejected() {
        String token = tokens.issue("ListUsagePlanKeys/aaaaaa", "k1");
        byte[] other = new byte[32];
        other[0] = 1;
        PageTokens otherSecret = new PageTokens(new Signer(other));

        assertThatThrownBy(() -> tokens.cursor(PageSpec.STANDARD, "ListUsagePlanKeys/bbbbbb", token))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> otherSecret.cursor(PageSpec.STANDARD, "ListUsagePlanKeys/aaaaaa", token))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void pageSpec_defaultsZero_acceptsTheMaximum_andRejectsNegativeAndAbove() {
        assertThat(PageSpec.STANDARD.size(0)).isEqualTo(25);
        assertThat(PageSpec.STANDARD.size(500)).isEqualTo(500);
        assertThatThrownBy(() -> PageSpec.STANDARD.size(501)).hasMessageContaining("page_size 501");
        assertThatThrownBy(() -> PageSpec.STANDARD.size(-1)).hasMessageContaining("page_size -1");
    }

    @Test
    void page_usesTheExtraFetchedItemOnlyToKnowThatMoreFollow() {
        PageRequest request = PageRequest.first(3);
        List<String> four = IntStream.range(0, 4).mapToObj(i -> "item" + i).toList();

        Page<String> page = tokens.page("scope", request, four, s -> s);

        assertThat(page.items()).containsExactly("item0", "item1", "item2");
        assertThat(tokens.cursor(PageSpec.STANDARD, "scope", page.nextToken())).contains("item2");
        assertThat(tokens.page("scope", request, four.subList(0, 3), s -> s).nextToken()).isEmpty();
    }
}
