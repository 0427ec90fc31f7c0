package dev.tally.domain.common;

import java.util.Optional;

/**
 * A validated page request: how many items, and the cursor (the sort key of the last item already seen)
 * to continue after, empty for the first page. Adapters fetch {@code size + 1} rows to learn whether
 * another page follows.
 */
public record PageRequest(int size, Optional<String> after) {

    public PageRequest {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
    }

    public static PageRequest first(int size) {
        return new PageRequest(size, Optional.empty());
    }
}
