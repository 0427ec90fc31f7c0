package dev.tally.aws.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.HttpCall;
import dev.tally.http.HttpReply;
import dev.tally.aws.protocol.ServiceModel.Operation;
import dev.tally.aws.sigv4.SigV4Request;
import dev.tally.domain.common.TallyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rest-json and json 1.1 protocols, driven by the model: where each input member travels (path label,
 * query string, header or body) and under which name, and how replies and errors are framed. One
 * implementation for every operation of every service.
 */
public final class Wire {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        // A request body is at most a few MiB; refuse absurd nesting or numbers before they cost anything.
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build());
    }

    private Wire() {
    }

    /**
     * The operation's input, keyed by member name, from wherever the model says each member travels;
     * checked against the model's types and constraints.
     */
    public static ObjectNode input(Operation operation, Map<String, String> labels, HttpCall call, String badInput) {
        if (operation.input().isEmpty()) {
            return JsonNodeFactory.instance.objectNode();
        }
        Shape shape = operation.input().get();
        ObjectNode input = (ObjectNode) Shapes.read(shape, body(call, operation.service(), badInput), "", badInput);
        Map<String, List<String>> query = null;
        for (Shape.Member member : shape.members) {
            List<String> values = switch (member.location()) {
                case URI -> labels.containsKey(member.wireName()) ? List.of(labels.get(member.wireName())) : null;
                case QUERYSTRING -> (query = query == null ? query(call.rawQuery()) : query).get(member.wireName());
                case HEADER -> call.headers().get(member.wireName().toLowerCase(Locale.ROOT));
                case BODY -> null;
            };
            if (values != null && !values.isEmpty()) {
                input.set(member.name(), Shapes.readText(member.shape(), values, member.name(), badInput));
            }
        }
        Shapes.validate(shape, input, badInput);
        return input;
    }

    private static JsonNode body(HttpCall call, ServiceModel service, String badInput) {
        if (call.body().length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        String contentType = call.header("content-type");
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            throw new AwsError(415, service.protocol() == ServiceModel.Protocol.JSON ? "UnsupportedMediaTypeException" : badInput,
                    "Content-Type " + TallyException.quote(contentType) + " is not supported: send " + service.contentType());
        }
        try {
            JsonNode body = JSON.readTree(call.body());
            if (body == null || !body.isObject()) {
                throw new AwsError(400, badInput(service, badInput), "the request body must be a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new AwsError(400, badInput(service, badInput), "the request body is not valid JSON" + where);
        } catch (IOException e) {
            throw new AwsError(400, badInput(service, badInput), "the request body cannot be read");
        }
    }

    /** json 1.1 services report unparseable bodies as SerializationException; rest-json ones as bad input. */
    private static String badInput(ServiceModel service, String badInput) {
        return service.protocol() == ServiceModel.Protocol.JSON ? "SerializationException" : badInput;
    }

    /** Query parameters by name, percent-decoded, in the order sent. */
    public static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery.isEmpty()) {
            return query;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = SigV4Request.decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : SigV4Request.decode(part.substring(eq + 1).replace('+', ' '));
            query.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        }
        return query;
    }

    /** A successful reply: the operation's status, its output (keyed by member name) under wire names. */
    public static HttpReply output(Operation operation, JsonNode output, String requestId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-amzn-RequestId", requestId);
        if (operation.output().isEmpty()) {
            return new HttpReply(operation.responseCode(), headers, new byte[0]);
        }
        headers.put("Content-Type", operation.service().contentType());
        JsonNode body = Shapes.write(operation.output().get(), output, headers);
        return new HttpReply(operation.responseCode(), headers, bytes(body));
    }

    /**
     * An error reply: rest-json names the error in {@code x-amzn-ErrorType}, json 1.1 in the body's
     * {@code __type}; both carry {@code message}. Both are set, so either kind of client finds it.
     */
    public static HttpReply error(ServiceModel.Protocol protocol, int status, String name, String message, String requestId,
                                  Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>();
        headers.putAll(extraHeaders);
        headers.put("x-amzn-RequestId", requestId);
        headers.put("x-amzn-ErrorType", name);
        headers.put("Content-Type", protocol == ServiceModel.Protocol.JSON ? "application/x-amz-json-1.1" : "application/json");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (protocol == ServiceModel.Protocol.JSON) {
            body.put("__type", name);
        }
        body.put("message", message);
        return new HttpReply(status, headers, bytes(body));
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }
}
