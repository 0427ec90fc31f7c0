package dev.tally.cli;

import com.google.protobuf.Message;
import java.util.function.Function;

/** Follows a listing's page tokens when {@code --all} is given, merging the pages into one response. */
final class Pages {

    private Pages() {
    }

    /**
     * @param tokenField the response field holding the next page's token, e.g. {@code next_page_token}
     */
    @SuppressWarnings("unchecked")
    static <R extends Message> R fetch(String firstToken, boolean all, String tokenField, Function<String, R> fetchPage) {
        R page = fetchPage.apply(firstToken);
        if (!all) {
            return page;
        }
        var field = page.getDescriptorForType().findFieldByName(tokenField);
        Message.Builder merged = page.toBuilder();
        String next = (String) page.getField(field);
        while (!next.isEmpty()) {
            page = fetchPage.apply(next);
            merged.mergeFrom(page);
            next = (String) page.getField(field);
        }
        // Repeated fields concatenate on merge; the token of an earlier page must not survive.
        return (R) merged.clearField(field).build();
    }

    /** Tells the user, on stderr, how to fetch the next page when there is one. */
    static void hint(picocli.CommandLine.Model.CommandSpec spec, String nextToken) {
        if (!nextToken.isEmpty()) {
            spec.commandLine().getErr().println("more: --page-token " + nextToken + " (or --all)");
        }
    }
}
