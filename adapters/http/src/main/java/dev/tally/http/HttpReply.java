package dev.tally.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** One HTTP response: status, headers (besides Content-Length, which the listener sets) and body. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {

    public HttpReply {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    public static HttpReply text(int status, String text) {
        return new HttpReply(status, Map.of("Content-Type", "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }
}
