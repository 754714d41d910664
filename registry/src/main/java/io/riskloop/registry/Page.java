package io.riskloop.registry;

import java.util.List;

/**
 * One page of search results and the token for the next, null on the last page.
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }
}
