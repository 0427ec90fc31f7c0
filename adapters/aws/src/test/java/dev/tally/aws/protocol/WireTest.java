package dev.tally.aws.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.http.HttpCall;
import dev.tally.http.HttpReply;
import dev.tally.domain.common.ErrorReason;
import dev.tally.domain.common.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model-driven protocol layer on a small model that uses every feature the served models do. */
class WireTest {

    private static final ServiceModel MODEL = ServiceModel.load("testservice");
    private static final ServiceModel.Operation PUT = MODEL.operation("PutThing").orElseThrow();

    @Test
    void membersAreReadFromWhereTheModelSaysTheyTravel() {
        Map<String, String> labels = PUT.uri().match("/things/us-east-1%3Aab/parts/a/b%20c").orElseThrow();
        assertThat(labels).containsEntry("ThingId", "us-east-1:ab").containsEntry("Path", "a/b c");
        assertThat(PUT.uri().match("/things/x")).isEmpty();
        assertThat(PUT.uri().match("/things//parts/a")).isEmpty();

        ObjectNode input = Wire.input(PUT, labels, call("limit=7&tag=a&tag=b%2Bc", Map.of("x-device", List.of("phone")),
                "{\"Name\": \"ab\", \"kind\": \"A\", \"When\": \"2026-01-02T03:04:05Z\", \"Unknown\": {\"x\": 1}}"), "Bad");
        assertThat(input.path("ThingId").asText()).isEqualTo("us-east-1:ab");
        assertThat(input.path("Limit").asInt()).isEqualTo(7);
        assertThat(input.path("Tags")).hasSize(2).extracting(n -> n.asText()).containsExactly("a", "b+c");
        assertThat(input.path("Device").asText()).isEqualTo("phone");
        assertThat(input.path("Kind").asText()).isEqualTo("A");
        assertThat(input.path("When").decimalValue().longValue()).isEqualTo(1767323045L);
        assertThat(input.has("Unknown")).isFalse();
    }

    @Test
    void everyConstraintOfTheModel_isChecked_andNamedInTheMessage() {
        Map<String, String> labels = Map.of("ThingId", "BAD!", "Path", "p");
        assertThatThrownBy(() -> Wire.input(PUT, labels, call("", Map.of(), "{\"Name\": \"toolong\", \"kind\": \"C\"}"), "Bad"))
                .isInstanceOfSatisfying(AwsError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.name()).isEqualTo("Bad");
                    assertThat(e.getMessage()).startsWith("3 validation errors detected")
                            .contains("'ThingId' failed to satisfy constraint: Member must satisfy regular expression pattern")
                            .contains("'Name' failed to satisfy constraint: Member must have length less than or equal to 5")
                            .contains("'Kind' failed to satisfy constraint: Member must satisfy enum value set");
                });
        Map<String, String> good = Map.of("ThingId", "ok", "Path", "p");
        assertThatThrownBy(() -> Wire.input(PUT, good, call("", Map.of(), "{}"), "Bad"))
                .hasMessageContaining("Value null at 'Name' failed to satisfy constraint: Member must not be null");
        assertThatThrownBy(() -> Wire.input(PUT, good, call("limit=61", Map.of(), "{\"Name\": \"a\"}"), "Bad"))
                .hasMessageContaining("less than or equal to 60");
        assertThatThrownBy(() -> Wire.input(PUT, good, call("limit=x", Map.of(), "{\"Name\": \"a\"}"), "Bad"))
                .hasMessageContaining("'x' at 'Limit' is invalid: expected a whole number");
        assertThatThrownBy(() -> Wire.input(PUT, good, call("", Map.of(), "{\"Name\": \"a\", \"Items\": [\"1\", \"2\", \"3\"]}"), "Bad"))
                .hasMessageContaining("'Items' failed to satisfy constraint: Member must have length less than or equal to 2");
        assertThatThrownBy(() -> Wire.input(PUT, good, call("", Map.of(), "{\"Name\": [\"" + "x".repeat(500) + "\"]}"), "Bad"))
                .hasMessageContaining("at 'Name' is invalid: expected a string").hasMessageContaining("...");
    }

    @Test
    void repliesUseWireNamesFormatsAndHeaders() throws Exception {
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.putArray("Items").add("a");
        output.put("When", new java.math.BigDecimal("1767323045.250"));
        output.put("Etag", "v1");
        HttpReply reply = Wire.output(PUT, output, "req-1");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.headers()).containsEntry("ETag", "v1").containsEntry("x-amzn-RequestId", "req-1");
        assertThat(new ObjectMapper().readTree(reply.body()))
                .isEqualTo(new ObjectMapper().readTree("{\"item\": [\"a\"], \"When\": \"2026-01-02T03:04:05.250Z\"}"));
    }

    @Test
    void domainFailures_becomeTheErrorsTheOperationDeclares() {
        AwsError error = DomainErrors.toAwsError(new NotFoundException(ErrorReason.NOT_FOUND, "id", "no such thing"), PUT);
        assertThat(error.name()).isEqualTo("ResourceNotFoundException");
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.getMessage()).isEqualTo("no such thing");
    }

    private static HttpCall call(String query, Map<String, List<String>> headers, String body) {
        return new HttpCall("PUT", "/things/x/parts/p", query, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
