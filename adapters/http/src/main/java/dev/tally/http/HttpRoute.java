package dev.tally.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A path the HTTP listener serves besides the AWS endpoint, which answers everything else (see
 * {@link #first}): exactly
 * {@code path}, or, when it ends with {@code /}, that path and everything under it (the console).
 */
public record HttpRoute(String path, Function<HttpCall, HttpReply> handler) {

    public HttpRoute {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
    }

    /** A page only read ({@code /metrics}, {@code /healthz}): GET and HEAD get it, other methods 405. */
    public static HttpRoute get(String path, Supplier<HttpReply> page) {
        return new HttpRoute(path, call -> call.method().equals("GET") || call.method().equals("HEAD") ? page.get()
                : new HttpReply(405, Map.of("Allow", "GET", "Content-Type", "text/plain; charset=utf-8"),
                        ("only GET is served at " + path + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A handler that answers with the first of {@code routes} that serves a call's path, else with {@code otherwise}. */
    public static Function<HttpCall, HttpReply> first(List<HttpRoute> routes, Function<HttpCall, HttpReply> otherwise) {
        List<HttpRoute> tried = List.copyOf(routes);
        return call -> {
            for (HttpRoute route : tried) {
                if (route.serves(call.rawPath())) {
                    return route.handler().apply(call);
                }
            }
            return otherwise.apply(call);
        };
    }

    /** Whether this route serves {@code rawPath} (as sent, before its query). */
    public boolean serves(String rawPath) {
        if (!path.endsWith("/")) {
            return rawPath.equals(path);
        }
        return rawPath.startsWith(path) || rawPath.length() == path.length() - 1 && path.startsWith(rawPath);
    }
}
