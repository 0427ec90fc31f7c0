package dev.tally.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** Follows a listing's page tokens when {@code --all} is given, merging the pages into one response. */
final class Pages {

    private Pages() {
    }

    /**
     * @param tokenField the response field holding the next page's token, e.g. {@code next_page_token}
     */
    @SuppressWarnings("unchecked")
    static <R extends Message> R fetch(CommandSpec spec, String firstToken, boolean all, String tokenField, Function<String, R> fetchPage) {
        R page = fetchPage.apply(firstToken);
        FieldDescriptor field = page.getDescriptorForType().findFieldByName(tokenField);
        String next = (String) page.getField(field);
        if (!all) {
            hint(spec, next);
            return page;
        }
        Message.Builder merged = page.toBuilder();
        try (Progress progress = Progress.on(spec.commandLine().getErr())) {
            int pages = 1;
            while (!next.isEmpty()) {
                progress.update(String.format(java.util.Locale.ROOT, "fetched %d pages, %,d items...", pages, items(merged)));
                page = fetchPage.apply(next);
                merged.mergeFrom(page);
                next = (String) page.getField(field);
                pages++;
            }
            if (pages > 1) {
                progress.update(String.format(java.util.Locale.ROOT, "fetched %d pages, %,d items", pages, items(merged)));
            }
        }
        // Repeated fields concatenate on merge; the token of an earlier page must not survive.
        return (R) merged.clearField(field).build();
    }

    /** How many items the listing holds so far: the size of its repeated (or map) field. */
    private static int items(Message.Builder listing) {
        return listing.getDescriptorForType().getFields().stream().filter(FieldDescriptor::isRepeated)
                .mapToInt(listing::getRepeatedFieldCount).sum();
    }

    /** Tells the user, on stderr, how to fetch the next page when there is one. */
    private static void hint(CommandSpec spec, String nextToken) {
        if (!nextToken.isEmpty()) {
            spec.commandLine().getErr().println("more: --page-token " + nextToken + " (or --all)");
        }
    }
}
