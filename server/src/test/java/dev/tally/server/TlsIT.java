package dev.tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tally.proto.v1.AccessServiceGrpc;
import dev.tally.proto.v1.ListDeveloperKeysRequest;
import dev.tally.server.testing.TestServer;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.testing.TlsTesting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS end to end, with grpc-java's test certificates (issued for *.test.google.fr). */
class TlsIT {

    private static final String AUTHORITY = "foo.test.google.fr";

    @TempDir
    Path dataDir;
    @TempDir
    Path certs;
    private Path ca;
    private Path serverCert;
    private Path serverKey;

    @BeforeEach
    void copyCertificates() throws IOException {
        ca = copy("ca.pem");
        serverCert = copy("server1.pem");
        serverKey = copy("server1.key");
    }

    @Test
    void tlsServer_servesClientsThatTrustItsCa_andRefusesPlaintext() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).tls(serverCert, serverKey, Optional.empty()).start()) {
            ManagedChannel tls = channel(server, TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build());
            try {
                assertThat(HealthGrpc.newBlockingStub(tls).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(ServingStatus.SERVING);
                assertThat(server.asAdmin(AccessServiceGrpc.newBlockingStub(tls))
                        .listDeveloperKeys(ListDeveloperKeysRequest.getDefaultInstance()).getDeveloperKeysCount()).isEqualTo(1);
            } finally {
                tls.shutdownNow();
            }

            StatusRuntimeException plaintext = catchThrowableOfType(StatusRuntimeException.class,
                    () -> HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance()));
            assertThat(plaintext.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void theHttpListener_servesHttpsWithTheSameCertificate_andMutualTlsToo() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).tls(serverCert, serverKey, Optional.empty()).start()) {
            assertThat(httpsPing(server)).isEqualTo("HTTP/1.1 200 OK");
        }
        try (TestServer server = TestServer.builder(dataDir.resolve("mtls")).tls(serverCert, serverKey, Optional.of(ca)).start()) {
            String answer;
            try {
                answer = httpsPing(server);
            } catch (java.io.IOException refused) {
                answer = null; // TLS 1.2 refuses in the handshake; TLS 1.3 closes the connection right after it
            }
            assertThat(answer).as("a client without a certificate gets no answer").isNull();
        }
    }

    /** The status line of GET /ping over TLS, trusting only the test CA (the certificate names another host). */
    private String httpsPing(TestServer server) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(ca)) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void mutualTls_refusesClientsWithoutACertificate() throws Exception {
        try (TestServer server = TestServer.builder(dataDir).tls(serverCert, serverKey, Optional.of(ca)).start()) {
            ManagedChannel anonymous = channel(server, TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build());
            ManagedChannel client = channel(server, TlsChannelCredentials.newBuilder().trustManager(ca.toFile())
                    .keyManager(copy("client.pem").toFile(), copy("client.key").toFile()).build());
            try {
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> HealthGrpc.newBlockingStub(anonymous).check(HealthCheckRequest.getDefaultInstance()));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(HealthGrpc.newBlockingStub(client).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                        .isEqualTo(ServingStatus.SERVING);
            } finally {
                anonymous.shutdownNow();
                client.shutdownNow();
            }
        }
    }

    private static ManagedChannel channel(TestServer server, ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), credentials).overrideAuthority(AUTHORITY).build();
    }

    private Path copy(String name) throws IOException {
        Path file = certs.resolve(name);
        try (InputStream in = TlsTesting.loadCert(name)) {
            Files.copy(in, file);
        }
        return file;
    }
}
