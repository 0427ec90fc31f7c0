package dev.tally.domain.common;

import java.util.List;

/** One page of a listing and the opaque token for the next one ("" on the last page). */
public record Page<T>(List<T> items, String nextToken) {

    public Page {
        items = List.copyOf(items);
    }
}
