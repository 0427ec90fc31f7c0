package dev.tally.domain.common;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opaque, tamper-evident page tokens. A token carries a cursor (the sort key of the last item seen) and is
 * bound by the {@link Signer} to a scope: the listing and what it lists, e.g. {@code "ListUsagePlanKeys/q2hrol"}.
 * An altered token, or one issued for another scope, is rejected.
 */
public final class PageTokens {

    private final Signer signer;

    public PageTokens(Signer signer) {
        this.signer = signer;
    }

    /** Validates a listing request's size and token against {@code spec}, for a listing of {@code scope}. */
    public PageRequest request(PageSpec spec, String scope, int pageSize, String token) {
        int size = spec.size(pageSize);
        return new PageRequest(size, cursor(spec, scope, token));
    }

    /**
     * Builds a page from up to {@code request.size() + 1} items fetched in cursor order: the extra item, if
     * present, only proves that another page follows.
     */
    public <T> Page<T> page(String scope, PageRequest request, List<T> fetched, Function<T, String> cursorOf) {
        if (fetched.size() <= request.size()) {
            return new Page<>(fetched, "");
        }
        List<T> items = fetched.subList(0, request.size());
        return new Page<>(items, issue(scope, cursorOf.apply(items.get(items.size() - 1))));
    }

    /** Issues a token for continuing {@code scope} after {@code cursor}. */
    public String issue(String scope, String cursor) {
        return signer.sign(scope, cursor);
    }

    /** The cursor in {@code token}; empty for an empty token; rejected when altered or foreign. */
    public Optional<String> cursor(PageSpec spec, String scope, String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(signer.verify(scope, token).orElseThrow(() -> new InvalidParameterException(spec.reason(),
                spec.tokenField(), spec.tokenField() + " " + TallyException.quote(token)
                        + " is invalid: pass back the token of the previous page unchanged")));
    }
}
