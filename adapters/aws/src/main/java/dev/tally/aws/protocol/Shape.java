package dev.tally.aws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One shape of a model, compiled once when the model is read: its type, its members with their wire names
 * and locations, and its constraints. Requests are checked against these objects, not the model's JSON.
 */
final class Shape {

    enum Type { STRUCTURE, LIST, MAP, STRING, BLOB, BOOLEAN, INTEGER, LONG, DOUBLE, FLOAT, TIMESTAMP }

    /** Where a member travels in a rest-json request; json 1.1 sends every member in the body. */
    enum Location { BODY, URI, QUERYSTRING, HEADER }

    /** A structure's member: its name in Tally, its name on the wire, where it travels, and its shape. */
    record Member(String name, String wireName, Location location, Shape shape) {
    }

    final String name;
    final Type type;
    final List<Member> members = new ArrayList<>();
    final Set<String> required = new HashSet<>();
    /** min and max: a length for strings, lists and maps, a value for numbers; null when unbounded. */
    final Double min;
    final Double max;
    /** Null when the model gives none, or one in a syntax Java lacks (then it is not enforced rather than refusing all). */
    final Pattern pattern;
    final Set<String> enumValues;
    final boolean iso8601;
    final int errorStatus;
    Shape member;
    Shape key;
    Shape value;

    private Shape(String name, JsonNode model) {
        this.name = name;
        this.type = Type.valueOf(model.path("type").asText().toUpperCase(Locale.ROOT));
        this.min = model.has("min") ? model.path("min").asDouble() : null;
        this.max = model.has("max") ? model.path("max").asDouble() : null;
        this.pattern = model.has("pattern") ? compile(model.path("pattern").asText()) : null;
        Set<String> values = new HashSet<>();
        model.path("enum").forEach(v -> values.add(v.asText()));
        this.enumValues = Set.copyOf(values);
        this.iso8601 = "iso8601".equals(model.path("timestampFormat").asText());
        this.errorStatus = model.path("error").path("httpStatusCode").asInt(400);
        model.path("required").forEach(r -> required.add(r.asText()));
    }

    private static Pattern compile(String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    /** The pattern as the model wrote it, for messages. */
    String patternText() {
        return pattern == null ? "" : pattern.pattern();
    }

    /** Every shape of a model's {@code shapes} object, by name, linked to each other. */
    static Map<String, Shape> compileAll(JsonNode shapes) {
        Map<String, Shape> compiled = new HashMap<>();
        shapes.fields().forEachRemaining(e -> compiled.put(e.getKey(), new Shape(e.getKey(), e.getValue())));
        shapes.fields().forEachRemaining(e -> compiled.get(e.getKey()).link(e.getValue(), compiled));
        return compiled;
    }

    private void link(JsonNode model, Map<String, Shape> compiled) {
        Iterator<Map.Entry<String, JsonNode>> fields = model.path("members").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode member = field.getValue();
            Location location = switch (member.path("location").asText("")) {
                case "uri" -> Location.URI;
                case "querystring" -> Location.QUERYSTRING;
                case "header" -> Location.HEADER;
                default -> Location.BODY;
            };
            String wireName = member.path("locationName").asText(field.getKey());
            members.add(new Member(field.getKey(), wireName, location, linked(compiled, member.path("shape").asText())));
        }
        member = model.has("member") ? linked(compiled, model.path("member").path("shape").asText()) : null;
        key = model.has("key") ? linked(compiled, model.path("key").path("shape").asText()) : null;
        value = model.has("value") ? linked(compiled, model.path("value").path("shape").asText()) : null;
    }

    private static Shape linked(Map<String, Shape> compiled, String name) {
        Shape shape = compiled.get(name);
        if (shape == null) {
            throw new IllegalStateException("the model has no shape " + name);
        }
        return shape;
    }
}
