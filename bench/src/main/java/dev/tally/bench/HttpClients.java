package dev.tally.bench;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A lean HTTP/1.1 client for the AWS door: requests are signed once up front with the AWS SDK's SigV4
 * signer (the server verifies every one, as it would a fresh signature: SigV4 allows replays within its
 * 15 minutes), responses are checked for their status only and never parsed.
 */
final class HttpClients {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String endpoint;
    private final AwsCredentialsIdentity credentials;

    HttpClients(int port, String accessKeyId, String secret) {
        this.endpoint = "http://127.0.0.1:" + port;
        this.credentials = AwsCredentialsIdentity.create(accessKeyId, secret);
    }

    /** A GET of {@code pathAndQuery} without a signature. */
    HttpRequest unsigned(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery)).GET().build();
    }

    /** A GET of {@code pathAndQuery}, signed for API Gateway in us-east-1 as an SDK signs it. */
    HttpRequest signedGet(String pathAndQuery) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(endpoint + pathAndQuery)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "apigateway")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder out = HttpRequest.newBuilder(signed.request().getUri()).GET();
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("host")) {
                header.getValue().forEach(value -> out.header(header.getKey(), value));
            }
        }
        return out.build();
    }

    /** Sends {@code request}; the future fails on a status other than {@code expected}. */
    ListenableFuture<?> send(HttpRequest request, int expected) {
        SettableFuture<Object> done = SettableFuture.create();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                done.setException(failure);
            } else if (response.statusCode() != expected) {
                done.setException(new IllegalStateException("HTTP " + response.statusCode() + " from " + request.uri().getPath()));
            } else {
                done.set(response);
            }
        });
        return done;
    }
}
