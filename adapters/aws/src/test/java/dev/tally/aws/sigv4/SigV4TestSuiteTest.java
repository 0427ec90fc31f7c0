package dev.tally.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.HttpCall;
import dev.tally.domain.access.SigV4;
import dev.tally.domain.access.SignedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * AWS's published Signature Version 4 test suite ({@code shared/testdata/aws4_testsuite}): for each case the
 * canonical request, the string to sign and the signature must be exactly AWS's, and changing any signed
 * part of the request must change the signature.
 */
class SigV4TestSuiteTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSuite() throws IOException {
        Path suite = suite();
        List<Path> cases;
        try (Stream<Path> files = Files.walk(suite)) {
            cases = files.filter(f -> f.toString().endsWith(".req")).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThan(25);
        return cases.stream().map(req -> DynamicTest.dynamicTest(suite.relativize(req).toString(), () -> check(req)));
    }

    private static void check(Path req) throws Exception {
        String base = req.toString().substring(0, req.toString().length() - ".req".length());
        // The signed request (.sreq) is the raw request plus what signing added (a session token for one case);
        // its Authorization is replaced by .authz, the suite's reference (one .sreq carries a stale signature).
        HttpCall call = parse(Files.readString(Path.of(base + ".sreq"), StandardCharsets.UTF_8));
        HttpCall signed = withHeader(call, "authorization", Files.readString(Path.of(base + ".authz")).trim());

        SignedRequest claim = SigV4Request.claim(signed);
        assertThat(claim.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(claim.stringToSign()).isEqualTo(Files.readString(Path.of(base + ".sts")).trim());
        byte[] key = SigV4.signingKey(SECRET, claim.scopeDate(), claim.region(), claim.service());
        assertThat(SigV4.signature(key, claim.stringToSign())).isEqualTo(claim.signature());

        // Any signed part changed: the same signature no longer fits.
        for (HttpCall changed : List.of(
                new HttpCall(call.method().equals("GET") ? "POST" : "GET", call.rawPath(), call.rawQuery(), signed.headers(), call.body()),
                new HttpCall(call.method(), call.rawPath() + "x", call.rawQuery(), signed.headers(), call.body()),
                new HttpCall(call.method(), call.rawPath(), call.rawQuery() + "&extra=1", signed.headers(), call.body()),
                new HttpCall(call.method(), call.rawPath(), call.rawQuery(), signed.headers(), "tampered".getBytes(StandardCharsets.UTF_8)),
                withHeader(signed, "x-amz-date", "20150830T123601Z"))) {
            SignedRequest tampered = SigV4Request.claim(changed);
            assertThat(SigV4.signature(key, tampered.stringToSign())).isNotEqualTo(claim.signature());
        }
    }

    @Test
    void aSecondAuthorizationHeader_isRefused_notGuessedAt() throws Exception {
        Path vanilla = suite().resolve("get-vanilla/get-vanilla.sreq");
        HttpCall call = parse(Files.readString(vanilla, StandardCharsets.UTF_8));
        Map<String, List<String>> headers = new LinkedHashMap<>(call.headers());
        headers.put("authorization", List.of(call.header("authorization"), call.header("authorization")));
        assertThatThrownBy(() -> SigV4Request.claim(new HttpCall("GET", "/", "", headers, new byte[0])))
                .isInstanceOf(SigV4Request.Malformed.class).hasMessageContaining("more than one Authorization header");
    }

    /** Reads a raw {@code .req} or {@code .sreq}: request line, headers (with folded continuation lines), blank line, body. */
    static HttpCall parse(String raw) {
        String[] headAndBody = raw.split("\r?\n\r?\n", 2);
        List<String> lines = new ArrayList<>(Arrays.asList(headAndBody[0].split("\r?\n")));
        String requestLine = lines.remove(0);
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
        int question = target.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String last = null;
        for (String line : lines) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                List<String> values = headers.get(last);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.trim());
                continue;
            }
            int colon = line.indexOf(':');
            last = line.substring(0, colon).toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1).stripLeading());
        }
        byte[] body = headAndBody.length > 1 ? headAndBody[1].getBytes(StandardCharsets.UTF_8) : new byte[0];
        return new HttpCall(method, question < 0 ? target : target.substring(0, question), question < 0 ? "" : target.substring(question + 1),
                headers, body);
    }

    private static HttpCall withHeader(HttpCall call, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(call.headers());
        headers.put(name, List.of(value));
        return new HttpCall(call.method(), call.rawPath(), call.rawQuery(), headers, call.body());
    }

    private static Path suite() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/testdata/aws4_testsuite");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = dir.resolveSibling("shared").resolve("testdata/aws4_testsuite");
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        System.err.println("!!! shared/testdata/aws4_testsuite not found beside the project: the SigV4 test vectors are SKIPPED");
        Assumptions.abort("shared/testdata/aws4_testsuite is absent");
        return null;
    }
}
