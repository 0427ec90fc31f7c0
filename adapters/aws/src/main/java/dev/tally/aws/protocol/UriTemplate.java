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
        Map<String, String> labels = null;
        int at = rawPath.startsWith("/") ? 1 : 0;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (at > rawPath.length()) {
                return Optional.empty();
            }
            if (segment.endsWith("+}")) {
                if (at >= rawPath.length()) {
                    return Optional.empty();
                }
                labels = labels == null ? new LinkedHashMap<>() : labels;
                labels.put(segment.substring(1, segment.length() - 2), SigV4Request.decode(rawPath.substring(at)));
                return Optional.of(labels);
            }
            int slash = rawPath.indexOf('/', at);
            int end = slash < 0 ? rawPath.length() : slash;
            if (segment.startsWith("{")) {
                if (end == at) {
                    return Optional.empty();
                }
                labels = labels == null ? new LinkedHashMap<>() : labels;
                labels.put(segment.substring(1, segment.length() - 1), SigV4Request.decode(rawPath.substring(at, end)));
            } else if (!rawPath.regionMatches(at, segment, 0, segment.length()) || end - at != segment.length()) {
                return Optional.empty();
            }
            at = end + 1;
        }
        return at == rawPath.length() + 1 || segments.isEmpty() && at >= rawPath.length()
                ? Optional.of(labels == null ? Map.of() : labels) : Optional.empty();
    }
}
