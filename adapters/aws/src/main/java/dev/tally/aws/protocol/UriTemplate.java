package dev.tally.aws.protocol;

import dev.tally.aws.sigv4.SigV4Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rest-json request URI such as {@code /usageplans/{usageplanId}/keys/{keyId}}: matches a request path
 * segment by segment and yields the labels, percent-decoded. A {@code {label+}} takes the rest of the path.
 */
public final class UriTemplate {

    private final List<String> segments = new ArrayList<>();
    private final int literals;

    UriTemplate(String template) {
        int question = template.indexOf('?');
        String path = question < 0 ? template : template.substring(0, question);
        int count = 0;
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
                count += segment.startsWith("{") ? 0 : 1;
            }
        }
        this.literals = count;
    }

    /** How many literal segments: the more, the more specific, when two templates match one path. */
    public int literals() {
        return literals;
    }

    /** The labels when {@code rawPath} matches, else empty. */
    public Optional<Map<String, String>> match(String rawPath) {
        String[] parts = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : rawPath.split("/", -1);
        if (parts.length == 1 && parts[0].isEmpty()) {
            parts = new String[0];
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i >= parts.length) {
                    return Optional.empty();
                }
                labels.put(segment.substring(1, segment.length() - 2),
                        SigV4Request.decode(String.join("/", java.util.Arrays.copyOfRange(parts, i, parts.length))));
                return Optional.of(labels);
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            if (segment.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                labels.put(segment.substring(1, segment.length() - 1), SigV4Request.decode(parts[i]));
            } else if (!segment.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return parts.length == segments.size() ? Optional.of(labels) : Optional.empty();
    }
}
