package dev.tally.aws.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One AWS service as botocore's model describes it, trimmed to the operations Tally serves (see
 * {@code adapters/aws/tools/trim_models.py}): its protocol, its operations and their shapes.
 */
public final class ServiceModel {

    /** The two wire protocols of the services Tally serves. */
    public enum Protocol { REST_JSON, JSON }

    private final String signingName;
    private final Protocol protocol;
    private final String targetPrefix;
    private final String jsonVersion;
    private final Map<String, Operation> operations = new LinkedHashMap<>();
    private final Shapes shapes;

    private ServiceModel(JsonNode model) {
        JsonNode metadata = model.path("metadata");
        this.signingName = metadata.path("signingName").asText(metadata.path("endpointPrefix").asText());
        this.protocol = switch (metadata.path("protocol").asText()) {
            case "rest-json" -> Protocol.REST_JSON;
            case "json" -> Protocol.JSON;
            default -> throw new IllegalArgumentException("unsupported protocol " + metadata.path("protocol").asText());
        };
        this.targetPrefix = metadata.path("targetPrefix").asText("");
        this.jsonVersion = metadata.path("jsonVersion").asText("1.1");
        this.shapes = new Shapes(model.path("shapes"));
        model.path("operations").fields().forEachRemaining(entry -> operations.put(entry.getKey(), new Operation(entry.getValue())));
    }

    /** Reads a model shipped in this module's resources, {@code dev/tally/aws/models/<service>.json}. */
    public static ServiceModel load(String service) {
        String resource = "/dev/tally/aws/models/" + service + ".json";
        try (InputStream in = ServiceModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no model " + resource);
            }
            return new ServiceModel(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The service name in SigV4 credential scopes, for example {@code apigateway}. */
    public String signingName() {
        return signingName;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** For json 1.1: the {@code X-Amz-Target} prefix, for example {@code AWSCognitoIdentityService}. */
    public String targetPrefix() {
        return targetPrefix;
    }

    public String contentType() {
        return protocol == Protocol.JSON ? "application/x-amz-json-" + jsonVersion : "application/json";
    }

    Shapes shapes() {
        return shapes;
    }

    public Optional<Operation> operation(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    /** One operation: how it travels and which shapes go in and out. */
    public final class Operation {
        private final String name;
        private final String method;
        private final UriTemplate uri;
        private final int responseCode;
        private final Shape input;
        private final Shape output;
        private final List<String> errors = new ArrayList<>();
        private final boolean sentUnsigned;

        private Operation(JsonNode operation) {
            this.name = operation.path("name").asText();
            this.method = operation.path("http").path("method").asText("POST");
            this.uri = new UriTemplate(operation.path("http").path("requestUri").asText("/"));
            this.responseCode = operation.path("http").path("responseCode").asInt(200);
            this.input = operation.has("input") ? shapes.shape(operation.path("input").path("shape").asText()) : null;
            this.output = operation.has("output") ? shapes.shape(operation.path("output").path("shape").asText()) : null;
            operation.path("errors").forEach(error -> errors.add(error.path("shape").asText()));
            this.sentUnsigned = operation.path("authtype").asText().equals("none");
        }

        /** Whether AWS SDKs send this operation without a signature (Cognito's GetId), as AWS serves it to devices. */
        public boolean sentUnsigned() {
            return sentUnsigned;
        }

        public String name() {
            return name;
        }

        public String method() {
            return method;
        }

        public UriTemplate uri() {
            return uri;
        }

        /** The status of a successful reply. */
        public int responseCode() {
            return responseCode;
        }

        Optional<Shape> input() {
            return Optional.ofNullable(input);
        }

        Optional<Shape> output() {
            return Optional.ofNullable(output);
        }

        /** The error shapes this operation declares, as their names. */
        public List<String> errors() {
            return errors;
        }

        public ServiceModel service() {
            return ServiceModel.this;
        }
    }
}
