package dev.tally.cli;

import com.google.protobuf.Message;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** --page-size, --page-token and --all, shared by the listings of Tally's own RPCs. */
final class PageOptions {

    @Option(names = "--page-size", defaultValue = "0", description = "Items per page (default 25, max 500).")
    int pageSize;

    @Option(names = "--page-token", defaultValue = "", description = "Continue from this page token.")
    String pageToken;

    @Option(names = "--all", description = "Follow page tokens to the end.")
    boolean all;

    /**
     * Fetches the requested page (with --all, every page, merged) through {@code page}, which takes a page
     * size and token; tells the user on stderr how to get the next page when there is one.
     */
    <R extends Message> R fetch(CommandSpec spec, BiFunction<Integer, String, R> page) {
        R response = Pages.fetch(pageToken, all, "next_page_token", token -> page.apply(pageSize, token));
        Pages.hint(spec, (String) response.getField(response.getDescriptorForType().findFieldByName("next_page_token")));
        return response;
    }
}
