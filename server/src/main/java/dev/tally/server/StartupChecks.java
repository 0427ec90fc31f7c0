package dev.tally.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up checks before it touches anything: that the ports are free, that the data directory can be
 * made private and written, and that the TLS certificate and key are readable and belong together. Each
 * failure is one {@link StartupFailure} line saying what to do.
 */
final class StartupChecks {

    private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
    /** Files of the data directory that hold secrets or the data itself. */
    private static final List<String> PRIVATE_FILES = List.of("tally.db", "tally.db-wal", "tally.db-shm", "admin.token", "master.key");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private StartupChecks() {
    }

    static void run(ServerConfig config) {
        requireFree(config.host(), config.port(), "--port");
        if (config.httpPort().isPresent()) {
            requireFree(config.host(), config.httpPort().getAsInt(), "--http-port");
        }
        if (config.tlsCert().isPresent()) {
            requireMatchingTls(config.tlsCert().get(), config.tlsKey().orElseThrow());
        }
        prepareDataDir(config.dataDir());
    }

    static void requireFree(String host, int port, String flag) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw inUse(host, port, flag, e);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw StartupFailure.unavailable("cannot listen on " + host + ":" + port + " (" + flag + "): " + e.getMessage(), e);
        }
    }

    static StartupFailure inUse(String host, int port, String flag, Throwable cause) {
        return StartupFailure.unavailable("port " + port + " on " + host + " (" + flag + ") is already in use: stop what holds it, or choose"
                + " another port with " + flag, cause);
    }

    /** Creates the data directory owner-only (0700) and checks it can be written; warns once about wider modes. */
    static void prepareDataDir(Path dir) {
        try {
            if (Files.notExists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(dir)) {
                throw StartupFailure.configuration("the data directory " + dir + " is not a directory: choose another with --data-dir", null);
            }
            Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
        } catch (IOException e) {
            throw StartupFailure.configuration("the data directory " + dir + " is not writable (" + reason(e) + "): fix its owner or mode,"
                    + " or choose another with --data-dir", e);
        }
        List<String> wide = new ArrayList<>();
        addIfWide(dir, wide);
        PRIVATE_FILES.forEach(name -> addIfWide(dir.resolve(name), wide));
        if (!wide.isEmpty()) {
            log.warn("Readable by others than the owner: {}. They hold secrets and usage; make them private with chmod go= (0700 for"
                    + " the directory, 0600 for files)", String.join(", ", wide));
        }
    }

    private static void addIfWide(Path path, List<String> wide) {
        try {
            if (Files.exists(path)) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
                if (mode.stream().anyMatch(OTHERS::contains)) {
                    wide.add(path + " (" + PosixFilePermissions.toString(mode) + ")");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: there is no mode to check.
        }
    }

    /** The certificate and key must parse, and the key must be the certificate's: a mismatch would fail every handshake. */
    static void requireMatchingTls(Path certFile, Path keyFile) {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(certFile)) {
            X509Certificate[] chain = io.grpc.util.CertificateUtils.getX509Certificates(in);
            if (chain.length == 0) {
                throw new GeneralSecurityException("no certificate in it");
            }
            certificate = chain[0];
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw StartupFailure.configuration("--tls-cert " + certFile + " is not a PEM certificate chain ('BEGIN CERTIFICATE')", e);
        }
        PrivateKey key;
        try (InputStream in = Files.newInputStream(keyFile)) {
            key = io.grpc.util.CertificateUtils.getPrivateKey(in);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw StartupFailure.configuration("--tls-key " + keyFile + " is not an unencrypted PEM PKCS#8 private key ('BEGIN PRIVATE KEY')"
                    + "; convert one with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pk8>", e);
        }
        if (!belongTogether(certificate, key)) {
            throw StartupFailure.configuration("--tls-key " + keyFile + " is not the private key of --tls-cert " + certFile
                    + " (" + certificate.getSubjectX500Principal().getName() + "): give the key the certificate was issued for", null);
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now())) {
            log.warn("The TLS certificate {} expired on {}: clients will refuse it", certFile, certificate.getNotAfter().toInstant());
        }
    }

    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // An algorithm this check does not know: the handshake will tell.
        }
        try {
            byte[] probe = "tally".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}
