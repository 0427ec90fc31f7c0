package dev.tally.aws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.domain.common.Page;
import dev.tally.domain.common.TallyException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The value forms every service's handlers share: timestamps in both of the models' forms, and pages. Input
 * values reach handlers already checked by the model, keyed by member name, timestamps as epoch seconds.
 */
public final class Values {

    public static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Values() {
    }

    /** A {@code timestamp} member: epoch seconds with milliseconds, written plainly (never in exponent form, which some SDKs refuse). */
    public static JsonNode epochSeconds(Instant instant) {
        return JSON.numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    /** A {@code timestamp} member as read (epoch seconds, with a fraction). */
    public static Instant instant(JsonNode epochSeconds) {
        BigDecimal seconds = epochSeconds.decimalValue();
        return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }

    /** An {@code ISO8601DateTime} string member (License Manager), as AWS writes it. */
    public static String iso8601(Instant instant) {
        return instant.toString();
    }

    /** An {@code ISO8601DateTime} string member as sent; {@code badInput} names the error for text that is not one. */
    public static Instant iso8601(String member, String text, String badInput) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                throw new AwsError(400, badInput, member + " " + TallyException.quote(text)
                        + " is not an ISO 8601 date-time such as 2026-12-01T00:00:00Z");
            }
        }
    }

    /** The text of an optional member, if it was sent. */
    public static Optional<String> text(JsonNode in, String member) {
        return in.hasNonNull(member) ? Optional.of(in.path(member).asText()) : Optional.empty();
    }

    /** A page as {@code {<itemsMember>: [...], <tokenMember>: next}}, the token left out on the last page. */
    public static <T> ObjectNode page(Page<T> page, String itemsMember, String tokenMember, Function<T, ? extends JsonNode> item) {
        ArrayNode items = JSON.arrayNode(page.items().size());
        page.items().forEach(t -> items.add(item.apply(t)));
        ObjectNode out = JSON.objectNode();
        out.set(itemsMember, items);
        if (!page.nextToken().isEmpty()) {
            out.put(tokenMember, page.nextToken());
        }
        return out;
    }
}
