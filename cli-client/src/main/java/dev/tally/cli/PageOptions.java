package dev.tally.cli;

import com.google.protobuf.Message;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * One paging vocabulary for every listing: --page-size, --page-token and --all. The words some listings
 * used before (GetUsage's --limit and --position, the sync listings' --max-results and --next-token) stay
 * as hidden aliases, so that old scripts go on working.
 */
final class PageOptions {

    @Option(names = "--page-size", defaultValue = "0", description = "Items per page; 0 (the default) lets the server choose: 25 for most listings.")
    int pageSize;

    @Option(names = "--page-token", defaultValue = "", description = "Continue from this page token.")
    String pageToken;

    @Option(names = "--all", description = "Follow page tokens to the end, with progress on a terminal.")
    boolean all;

    @Option(names = {"--limit", "--max-results"}, hidden = true, description = "Old names of --page-size.")
    Integer oldPageSize;

    @Option(names = {"--position", "--next-token"}, hidden = true, description = "Old names of --page-token.")
    String oldPageToken;

    /**
     * Fetches the requested page (with --all, every page, merged) through {@code page}, which takes a page
     * size and token; tells the user on stderr how to get the next page when there is one.
     *
     * @param tokenField the response field holding the next page's token
     */
    <R extends Message> R fetch(CommandSpec spec, String tokenField, BiFunction<Integer, String, R> page) {
        int size = oldPageSize != null ? oldPageSize : pageSize;
        return Pages.fetch(spec, oldPageToken != null ? oldPageToken : pageToken, all, tokenField, token -> page.apply(size, token));
    }

    /** As {@link #fetch(CommandSpec, String, BiFunction)} for Tally's own listings, whose token is next_page_token. */
    <R extends Message> R fetch(CommandSpec spec, BiFunction<Integer, String, R> page) {
        return fetch(spec, "next_page_token", page);
    }
}
