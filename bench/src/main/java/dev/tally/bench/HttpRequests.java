package dev.tally.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests for the AWS door as raw HTTP/1.1 bytes, for {@link LeanHttp}: signed once up front with the AWS
 * SDK's own SigV4 signer. The server verifies every one as it would a fresh signature (SigV4 accepts a
 * signature again within its 15 minutes).
 */
final class HttpRequests {

    private final String authority;
    private final AwsCredentialsIdentity credentials;

    /** The access key as the console takes it: {@code ACCESS_KEY_ID:SECRET}. */
    String consoleCredential() {
        return credentials.accessKeyId() + ":" + credentials.secretAccessKey();
    }

    HttpRequests(int port, String accessKeyId, String secret) {
        this.authority = "127.0.0.1:" + port;
        this.credentials = AwsCredentialsIdentity.create(accessKeyId, secret);
    }

    /** A GET of {@code pathAndQuery} without a signature. */
    byte[] unsigned(String pathAndQuery) {
        return request(pathAndQuery, Map.of());
    }

    /** A GET of {@code pathAndQuery} with {@code Authorization: Bearer <credential>}, as the console sends. */
    byte[] bearerGet(String pathAndQuery, String credential) {
        return request(pathAndQuery, Map.of("Authorization", List.of("Bearer " + credential)));
    }

    /** A GET of {@code pathAndQuery}, signed for API Gateway in us-east-1 as an SDK signs it. */
    byte[] signedGet(String pathAndQuery) {
        return signedGet("apigateway", pathAndQuery);
    }

    /** A GET of {@code pathAndQuery}, signed for {@code service} in us-east-1 as an SDK signs it (rest-json). */
    byte[] signedGet(String service, String pathAndQuery) {
        return signed(service, SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create("http://" + authority + pathAndQuery)).build(),
                "");
    }

    /** A json 1.1 call: {@code POST /} with {@code X-Amz-Target: target} and a JSON body, signed for {@code service}. */
    byte[] signedJson(String service, String target, String json) {
        return signed(service, SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create("http://" + authority + "/"))
                .putHeader("X-Amz-Target", target).putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("Content-Length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length)).build(), json);
    }

    private byte[] signed(String service, SdkHttpRequest request, String body) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        return request(signed.request().method().name(), signed.request().encodedPath()
                + signed.request().encodedQueryParameters().map(q -> "?" + q).orElse(""), signed.request().headers(), body);
    }

    private byte[] request(String pathAndQuery, Map<String, List<String>> headers) {
        return request("GET", pathAndQuery, headers, "");
    }

    private byte[] request(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {
        StringBuilder out = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(value -> out.append(name).append(": ").append(value).append("\r\n"));
            }
        });
        return out.append("\r\n").append(body).toString().getBytes(StandardCharsets.UTF_8);
    }
}
