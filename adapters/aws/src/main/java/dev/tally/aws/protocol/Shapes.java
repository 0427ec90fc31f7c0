package dev.tally.aws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.domain.common.TallyException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's shapes, and the walks over them every operation shares: checking a request's values against
 * their shapes (types, required members, lengths, ranges, patterns, enums), and writing a reply's values
 * under their wire names and formats. Values travel through Tally keyed by member name; only the wire uses
 * {@code locationName}s.
 */
public final class Shapes {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Map<String, Shape> shapes;

    Shapes(JsonNode model) {
        this.shapes = Shape.compileAll(model);
    }

    Shape shape(String name) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException("the model has no shape " + name);
        }
        return shape;
    }

    // ---- reading a request ------------------------------------------------------------------------

    /**
     * Checks a JSON value sent for {@code shape} and returns it as Tally reads it: structures keyed by member
     * name, timestamps as epoch seconds. Unknown structure members are ignored, as AWS does; members that
     * travel outside the body are left to the caller.
     *
     * @param path where the value sits, for messages, for example {@code quota.limit}
     * @throws AwsError with {@code badInput} for a value of the wrong type
     */
    static JsonNode read(Shape shape, JsonNode value, String path, String badInput) {
        if (value == null || value.isNull()) {
            return null;
        }
        switch (shape.type) {
            case STRUCTURE -> {
                require(value.isObject(), path, "an object", value, badInput);
                ObjectNode out = JSON.objectNode();
                for (Shape.Member member : shape.members) {
                    if (member.location() == Shape.Location.BODY) {
                        JsonNode read = read(member.shape(), value.get(member.wireName()), child(path, member.name()), badInput);
                        if (read != null) {
                            out.set(member.name(), read);
                        }
                    }
                }
                return out;
            }
            case LIST -> {
                require(value.isArray(), path, "a list", value, badInput);
                ArrayNode out = JSON.arrayNode(value.size());
                for (int i = 0; i < value.size(); i++) {
                    JsonNode read = read(shape.member, value.get(i), path + "[" + i + "]", badInput);
                    out.add(read == null ? JSON.nullNode() : read);
                }
                return out;
            }
            case MAP -> {
                require(value.isObject(), path, "a map", value, badInput);
                ObjectNode out = JSON.objectNode();
                value.fields().forEachRemaining(e -> out.set(e.getKey(), read(shape.value, e.getValue(), path + "." + e.getKey(), badInput)));
                return out;
            }
            case STRING, BLOB -> {
                require(value.isTextual(), path, "a string", value, badInput);
                return value;
            }
            case BOOLEAN -> {
                require(value.isBoolean(), path, "true or false", value, badInput);
                return value;
            }
            case INTEGER, LONG -> {
                boolean integer = shape.type == Shape.Type.INTEGER;
                require(value.isIntegralNumber() && value.canConvertToLong()
                                && value.asLong() <= (integer ? Integer.MAX_VALUE : Long.MAX_VALUE)
                                && value.asLong() >= (integer ? Integer.MIN_VALUE : Long.MIN_VALUE),
                        path, "a whole number", value, badInput);
                return JSON.numberNode(value.asLong());
            }
            case DOUBLE, FLOAT -> {
                require(value.isNumber(), path, "a number", value, badInput);
                return JSON.numberNode(value.asDouble());
            }
            case TIMESTAMP -> {
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
            default -> throw new IllegalStateException("unsupported shape type " + shape.type);
        }
    }

    /** A query string, path label or header value as the member's type. */
    static JsonNode readText(Shape shape, List<String> values, String path, String badInput) {
        String text = values.get(0);
        switch (shape.type) {
            case LIST -> {
                ArrayNode out = JSON.arrayNode(values.size());
                for (String value : values) {
                    out.add(readText(shape.member, List.of(value), path, badInput));
                }
                return out;
            }
            case BOOLEAN -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw invalid(path, "true or false", JSON.textNode(text), badInput);
                }
                return JSON.booleanNode(text.equals("true"));
            }
            case INTEGER, LONG -> {
                try {
                    return JSON.numberNode(shape.type == Shape.Type.INTEGER ? Integer.parseInt(text) : Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw invalid(path, "a whole number", JSON.textNode(text), badInput);
                }
            }
            case DOUBLE, FLOAT -> {
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
     * up to five violations in one message the way AWS's validation does.
     */
    static void validate(Shape shape, JsonNode value, String badInput) {
        List<String> violations = new ArrayList<>(0);
        validate(shape, value, "", violations);
        if (!violations.isEmpty()) {
            throw new AwsError(400, badInput, violations.size() + " validation error" + (violations.size() == 1 ? "" : "s")
                    + " detected: " + String.join("; ", violations.subList(0, Math.min(violations.size(), 5))));
        }
    }

    private static void validate(Shape shape, JsonNode value, String path, List<String> violations) {
        switch (shape.type) {
            case STRUCTURE -> {
                for (Shape.Member member : shape.members) {
                    JsonNode child = value.get(member.name());
                    if (child == null || child.isNull()) {
                        if (shape.required.contains(member.name())) {
                            violations.add("Value null at '" + child(path, member.name()) + "' failed to satisfy constraint: Member must not be null");
                        }
                    } else {
                        validate(member.shape(), child, child(path, member.name()), violations);
                    }
                }
            }
            case LIST -> {
                size(shape, value.size(), path, violations);
                for (int i = 0; i < value.size(); i++) {
                    if (!value.get(i).isNull()) {
                        validate(shape.member, value.get(i), path + "." + (i + 1), violations);
                    }
                }
            }
            case MAP -> {
                size(shape, value.size(), path, violations);
                value.fields().forEachRemaining(e -> {
                    validate(shape.key, JSON.textNode(e.getKey()), path, violations);
                    if (!e.getValue().isNull()) {
                        validate(shape.value, e.getValue(), path + "." + e.getKey(), violations);
                    }
                });
            }
            case STRING -> {
                String text = value.asText();
                size(shape, text.codePointCount(0, text.length()), path, violations);
                if (shape.pattern != null && !shape.pattern.matcher(text).matches()) {
                    violations.add("Value " + TallyException.quote(text) + " at '" + path + "' failed to satisfy constraint: Member must satisfy regular"
                            + " expression pattern: " + shape.patternText());
                }
                if (!shape.enumValues.isEmpty() && !shape.enumValues.contains(text)) {
                    violations.add("Value " + TallyException.quote(text) + " at '" + path + "' failed to satisfy constraint: Member must satisfy enum"
                            + " value set: " + new java.util.TreeSet<>(shape.enumValues));
                }
            }
            case INTEGER, LONG, DOUBLE, FLOAT -> {
                double number = value.asDouble();
                if (shape.min != null && number < shape.min) {
                    violations.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have value greater"
                            + " than or equal to " + bound(shape.min));
                }
                if (shape.max != null && number > shape.max) {
                    violations.add("Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have value less"
                            + " than or equal to " + bound(shape.max));
                }
            }
            default -> {
                // booleans, timestamps and blobs carry no constraints the models use here
            }
        }
    }

    private static void size(Shape shape, int size, String path, List<String> violations) {
        if (shape.min != null && size < shape.min) {
            violations.add("Value at '" + path + "' failed to satisfy constraint: Member must have length greater than or equal to "
                    + bound(shape.min));
        }
        if (shape.max != null && size > shape.max) {
            violations.add("Value at '" + path + "' failed to satisfy constraint: Member must have length less than or equal to "
                    + bound(shape.max));
        }
    }

    private static String bound(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }

    // ---- writing a reply --------------------------------------------------------------------------

    /** Writes {@code value} (keyed by member name) for {@code shape} under wire names; header members go to {@code headers}. */
    static JsonNode write(Shape shape, JsonNode value, Map<String, String> headers) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isPojo()) {
            // Already in wire form: a large value a handler wrote out itself (see ApiGatewayService's GetUsage).
            return value;
        }
        switch (shape.type) {
            case STRUCTURE -> {
                ObjectNode out = JSON.objectNode();
                for (Shape.Member member : shape.members) {
                    JsonNode child = value.get(member.name());
                    if (child == null || child.isNull()) {
                        continue;
                    }
                    if (member.location() == Shape.Location.HEADER && headers != null) {
                        headers.put(member.wireName(), child.asText());
                    } else if (member.location() == Shape.Location.BODY) {
                        out.set(member.wireName(), write(member.shape(), child, null));
                    }
                }
                return out;
            }
            case LIST -> {
                ArrayNode out = JSON.arrayNode(value.size());
                value.forEach(item -> out.add(write(shape.member, item, null)));
                return out;
            }
            case MAP -> {
                ObjectNode out = JSON.objectNode();
                value.fields().forEachRemaining(e -> out.set(e.getKey(), write(shape.value, e.getValue(), null)));
                return out;
            }
            case TIMESTAMP -> {
                if (shape.iso8601 && value.isNumber()) {
                    return JSON.textNode(Values.instant(value).toString());
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
        return new AwsError(400, badInput, "Value " + TallyException.quote(value.isTextual() ? value.asText() : value.toString()) + " at '" + path
                + "' is invalid: expected " + expected);
    }

}
