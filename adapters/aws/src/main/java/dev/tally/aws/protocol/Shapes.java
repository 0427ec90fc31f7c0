package dev.tally.aws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A model's shapes, and the two walks over them every operation shares: checking a request's values
 * against their shapes (types, required members, lengths, ranges, patterns, enums), and writing a reply's
 * values under their wire names and formats. Values travel through Tally keyed by member name; only the
 * wire uses {@code locationName}s.
 */
public final class Shapes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_QUOTED = 80;

    private final JsonNode shapes;
    private final Map<String, Optional<Pattern>> patterns = new ConcurrentHashMap<>();

    Shapes(JsonNode shapes) {
        this.shapes = shapes;
    }

    JsonNode shape(String name) {
        JsonNode shape = shapes.path(name);
        if (shape.isMissingNode()) {
            throw new IllegalStateException("the model has no shape " + name);
        }
        return shape;
    }

    /** The members of structure {@code name}, each by member name. */
    Iterator<Map.Entry<String, JsonNode>> members(String name) {
        return shape(name).path("members").fields();
    }

    boolean isError(String name) {
        return shape(name).path("exception").asBoolean(false);
    }

    /** The HTTP status an error shape declares; 400 when it declares none. */
    int errorStatus(String name) {
        return shape(name).path("error").path("httpStatusCode").asInt(400);
    }

    // ---- reading a request ------------------------------------------------------------------------

    /**
     * Checks a JSON value sent for {@code shapeName} and returns it as Tally reads it: structures keyed by
     * member name, timestamps as epoch seconds. Unknown structure members are ignored, as AWS does.
     *
     * @param path where the value sits, for messages, for example {@code quota.limit}
     * @throws AwsError with {@code badInput} for a value of the wrong type
     */
    JsonNode read(String shapeName, JsonNode value, String path, String badInput) {
        if (value == null || value.isNull()) {
            return null;
        }
        JsonNode shape = shape(shapeName);
        String type = shape.path("type").asText();
        switch (type) {
            case "structure" -> {
                require(value.isObject(), path, "an object", value, badInput);
                ObjectNode out = JSON.objectNode();
                Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
                while (members.hasNext()) {
                    Map.Entry<String, JsonNode> member = members.next();
                    if (member.getValue().has("location")) {
                        continue;
                    }
                    String wireName = member.getValue().path("locationName").asText(member.getKey());
                    JsonNode read = read(member.getValue().path("shape").asText(), value.get(wireName), child(path, member.getKey()), badInput);
                    if (read != null) {
                        out.set(member.getKey(), read);
                    }
                }
                return out;
            }
            case "list" -> {
                require(value.isArray(), path, "a list", value, badInput);
                ArrayNode out = JSON.arrayNode();
                String member = shape.path("member").path("shape").asText();
                for (int i = 0; i < value.size(); i++) {
                    JsonNode read = read(member, value.get(i), path + "[" + i + "]", badInput);
                    out.add(read == null ? JSON.nullNode() : read);
                }
                return out;
            }
            case "map" -> {
                require(value.isObject(), path, "a map", value, badInput);
                ObjectNode out = JSON.objectNode();
                String member = shape.path("value").path("shape").asText();
                value.fields().forEachRemaining(e -> out.set(e.getKey(), read(member, e.getValue(), path + "." + e.getKey(), badInput)));
                return out;
            }
            case "string", "blob" -> {
                require(value.isTextual(), path, "a string", value, badInput);
                return value;
            }
            case "boolean" -> {
                require(value.isBoolean(), path, "true or false", value, badInput);
                return value;
            }
            case "integer", "long" -> {
                long max = type.equals("integer") ? Integer.MAX_VALUE : Long.MAX_VALUE;
                long min = type.equals("integer") ? Integer.MIN_VALUE : Long.MIN_VALUE;
                require(value.isIntegralNumber() && value.canConvertToLong() && value.asLong() <= max && value.asLong() >= min,
                        path, "a whole number", value, badInput);
                return JSON.numberNode(value.asLong());
            }
            case "double", "float" -> {
                require(value.isNumber(), path, "a number", value, badInput);
                return JSON.numberNode(value.asDouble());
            }
            case "timestamp" -> {
                if (value.isNumber()) {
                    return JSON.numberNode(value.decimalValue());
                }
                require(value.isTextual(), path, "a timestamp", value, badInput);
                try {
                    Instant instant = Instant.parse(value.asText());
                    return JSON.numberNode(BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano(), 9)));
                } catch (DateTimeParseException e) {
                    throw invalid(path, "a timestamp (epoch seconds or ISO-8601)", value, badInput);
                }
            }
            default -> throw new IllegalStateException("unsupported shape type " + type);
        }
    }

    /** A query string or header value as the member's type. */
    JsonNode readText(String shapeName, List<String> values, String path, String badInput) {
        JsonNode shape = shape(shapeName);
        String type = shape.path("type").asText();
        String text = values.get(0);
        switch (type) {
            case "list" -> {
                ArrayNode out = JSON.arrayNode();
                for (String value : values) {
                    out.add(readText(shape.path("member").path("shape").asText(), List.of(value), path, badInput));
                }
                return out;
            }
            case "boolean" -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw invalid(path, "true or false", JSON.textNode(text), badInput);
                }
                return JSON.booleanNode(text.equals("true"));
            }
            case "integer", "long" -> {
                try {
                    return JSON.numberNode(type.equals("integer") ? Integer.parseInt(text) : Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw invalid(path, "a whole number", JSON.textNode(text), badInput);
                }
            }
            case "double", "float" -> {
                try {
                    return JSON.numberNode(Double.parseDouble(text));
                } catch (NumberFormatException e) {
                    throw invalid(path, "a number", JSON.textNode(text), badInput);
                }
            }
            default -> {
                return JSON.textNode(text);
            }
        }
    }

    /**
     * Checks required members and each value's declared constraints (min, max, pattern, enum), reporting
     * every violation in one message the way AWS's validation does.
     */
    void validate(String shapeName, JsonNode value, String badInput) {
        List<String> violations = new ArrayList<>();
        validate(shapeName, value, "", violations);
        if (!violations.isEmpty()) {
            throw new AwsError(400, badInput, violations.size() + " validation error" + (violations.size() == 1 ? "" : "s")
                    + " detected: " + String.join("; ", violations.subList(0, Math.min(violations.size(), 5))));
        }
    }

    private void validate(String shapeName, JsonNode value, String path, List<String> violations) {
        JsonNode shape = shape(shapeName);
        String type = shape.path("type").asText();
        switch (type) {
            case "structure" -> {
                for (JsonNode required : shape.path("required")) {
                    if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
                        violations.add("Value null at '" + child(path, required.asText()) + "' failed to satisfy constraint: Member must not be null");
                    }
                }
                Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
                while (members.hasNext()) {
                    Map.Entry<String, JsonNode> member = members.next();
                    JsonNode child = value.get(member.getKey());
                    if (child != null && !child.isNull()) {
                        validate(member.getValue().path("shape").asText(), child, child(path, member.getKey()), violations);
                    }
                }
            }
            case "list" -> {
                size(shape, value.size(), path, "length", violations);
                for (int i = 0; i < value.size(); i++) {
                    if (!value.get(i).isNull()) {
                        validate(shape.path("member").path("shape").asText(), value.get(i), path + "." + (i + 1), violations);
                    }
                }
            }
            case "map" -> {
                size(shape, value.size(), path, "length", violations);
                value.fields().forEachRemaining(e -> {
                    validate(shape.path("key").path("shape").asText(), JSON.textNode(e.getKey()), path, violations);
                    if (!e.getValue().isNull()) {
                        validate(shape.path("value").path("shape").asText(), e.getValue(), path + "." + e.getKey(), violations);
                    }
                });
            }
            case "string" -> {
                String text = value.asText();
                size(shape, text.codePointCount(0, text.length()), path, "length", violations);
                Optional<Pattern> pattern = pattern(shape);
                if (pattern.isPresent() && !pattern.get().matcher(text).matches()) {
                    violations.add("Value " + quote(text) + " at '" + path + "' failed to satisfy constraint: Member must satisfy regular"
                            + " expression pattern: " + shape.path("pattern").asText());
                }
                if (shape.has("enum") && !contains(shape.path("enum"), text)) {
                    violations.add("Value " + quote(text) + " at '" + path + "' failed to satisfy constraint: Member must satisfy enum"
                            + " value set: " + shape.path("enum"));
                }
            }
            case "integer", "long", "double", "float" -> {
                double number = value.asDouble();
                if (shape.has("min") && number < shape.path("min").asDouble()) {
                    violations.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have value greater"
                            + " than or equal to " + shape.path("min").asText());
                }
                if (shape.has("max") && number > shape.path("max").asDouble()) {
                    violations.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have value less"
                            + " than or equal to " + shape.path("max").asText());
                }
            }
            default -> {
                // booleans, timestamps and blobs carry no constraints the models use here
            }
        }
    }

    private static void size(JsonNode shape, int size, String path, String what, List<String> violations) {
        if (shape.has("min") && size < shape.path("min").asInt()) {
            violations.add("Value at '" + path + "' failed to satisfy constraint: Member must have " + what
                    + " greater than or equal to " + shape.path("min").asInt());
        }
        if (shape.has("max") && size > shape.path("max").asLong()) {
            violations.add("Value at '" + path + "' failed to satisfy constraint: Member must have " + what
                    + " less than or equal to " + shape.path("max").asLong());
        }
    }

    private Optional<Pattern> pattern(JsonNode shape) {
        if (!shape.has("pattern")) {
            return Optional.empty();
        }
        return patterns.computeIfAbsent(shape.path("pattern").asText(), text -> {
            try {
                return Optional.of(Pattern.compile(text));
            } catch (PatternSyntaxException e) {
                // A pattern in a syntax Java lacks is not enforced rather than refusing everything.
                return Optional.empty();
            }
        });
    }

    private static boolean contains(JsonNode values, String text) {
        for (JsonNode value : values) {
            if (value.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    // ---- writing a reply --------------------------------------------------------------------------

    /** Writes {@code value} (keyed by member name) for {@code shapeName} under wire names; header members go to {@code headers}. */
    JsonNode write(String shapeName, JsonNode value, Map<String, String> headers) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isPojo()) {
            // Already in wire form: a large value a handler wrote out itself (see ApiGatewayService's GetUsage).
            return value;
        }
        JsonNode shape = shape(shapeName);
        switch (shape.path("type").asText()) {
            case "structure" -> {
                ObjectNode out = JSON.objectNode();
                Iterator<Map.Entry<String, JsonNode>> members = shape.path("members").fields();
                while (members.hasNext()) {
                    Map.Entry<String, JsonNode> member = members.next();
                    JsonNode child = value.get(member.getKey());
                    if (child == null || child.isNull()) {
                        continue;
                    }
                    String wireName = member.getValue().path("locationName").asText(member.getKey());
                    if ("header".equals(member.getValue().path("location").asText()) && headers != null) {
                        headers.put(wireName, child.asText());
                    } else if (!member.getValue().has("location")) {
                        out.set(wireName, write(member.getValue().path("shape").asText(), child, null));
                    }
                }
                return out;
            }
            case "list" -> {
                ArrayNode out = JSON.arrayNode();
                String member = shape.path("member").path("shape").asText();
                value.forEach(item -> out.add(write(member, item, null)));
                return out;
            }
            case "map" -> {
                ObjectNode out = JSON.objectNode();
                String member = shape.path("value").path("shape").asText();
                value.fields().forEachRemaining(e -> out.set(e.getKey(), write(member, e.getValue(), null)));
                return out;
            }
            case "timestamp" -> {
                if ("iso8601".equals(shape.path("timestampFormat").asText()) && value.isNumber()) {
                    BigDecimal seconds = value.decimalValue();
                    return JSON.textNode(Instant.ofEpochSecond(seconds.longValue(),
                            seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue()).toString());
                }
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    // ---- messages ---------------------------------------------------------------------------------

    private static String child(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private static void require(boolean ok, String path, String expected, JsonNode value, String badInput) {
        if (!ok) {
            throw invalid(path, expected, value, badInput);
        }
    }

    private static AwsError invalid(String path, String expected, JsonNode value, String badInput) {
        return new AwsError(400, badInput, "Value " + quote(value.isTextual() ? value.asText() : value.toString()) + " at '" + path
                + "' is invalid: expected " + expected);
    }

    /** Quotes a caller's value for a message, cut short so an error never echoes megabytes. */
    static String quote(String text) {
        return "'" + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text) + "'";
    }

    static Map<String, String> newHeaders() {
        return new HashMap<>();
    }
}
