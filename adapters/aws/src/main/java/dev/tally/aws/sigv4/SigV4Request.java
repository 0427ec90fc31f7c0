package dev.tally.aws.sigv4;

import dev.tally.aws.http.HttpCall;
import dev.tally.domain.access.SignedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request's SigV4 {@code Authorization} header and builds what the client signed: the canonical
 * request and the string to sign, as AWS's Signature Version 4 defines them for every service but S3
 * (dot segments and repeated slashes removed from the path, which is then percent-encoded once more).
 * Whether the signature is right is the domain's call: it holds the secret.
 */
public final class SigV4Request {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "^AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/([0-9]{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([a-z0-9!#$%&'*+.^_`|~;-]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*$");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();
    /** Looking a digest up costs more than computing one over a small request: each thread keeps its own. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    });
    /** The hash of an empty payload, which every GET and DELETE signs. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[c + 32] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : new char[] {'-', '_', '.', '~'}) {
            UNRESERVED[c] = true;
        }
    }

    /** Why a request's signature could not even be checked. */
    public static final class Malformed extends Exception {
        private final boolean missing;

        Malformed(boolean missing, String message) {
            super(message, null, false, false);
            this.missing = missing;
        }

        /** True when the request carries no signature at all, false when it carries a broken one. */
        public boolean missing() {
            return missing;
        }
    }

    private SigV4Request() {
    }

    /** The credential scope's service of a signed request (for routing), if it has one. */
    public static Optional<String> service(HttpCall call) {
        String authorization = call.header("authorization");
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        return m.matches() ? Optional.of(m.group(4)) : Optional.empty();
    }

    /** What {@code call} claims to be signed with, ready for the domain to verify. */
    public static SignedRequest claim(HttpCall call) throws Malformed {
        String authorization = call.header("authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new Malformed(true, "Missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            throw new Malformed(false, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters"
                    + " of the AWS4-HMAC-SHA256 scheme");
        }
        String amzDate = Optional.ofNullable(call.header("x-amz-date")).orElse(call.header("date"));
        Instant signedAt = parseDate(amzDate);
        List<String> signedHeaders = Arrays.asList(m.group(5).split(";"));
        if (!signedHeaders.contains("host")) {
            throw new Malformed(false, "the Host header must be signed");
        }
        String scope = m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
        String canonical = canonicalRequest(call, signedHeaders);
        String stringToSign = stringToSign(amzDate, scope, canonical);
        return new SignedRequest(m.group(1), m.group(2), m.group(3), m.group(4), signedAt, stringToSign, m.group(6));
    }

    private static Instant parseDate(String amzDate) throws Malformed {
        if (amzDate == null) {
            throw new Malformed(false, "the request has no X-Amz-Date header");
        }
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Malformed(false, "X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z'");
        }
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The canonical request of {@code call} with {@code signedHeaders} (lower-case, in the order signed). */
    static String canonicalRequest(HttpCall call, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder(256);
        out.append(call.method()).append('\n');
        out.append(canonicalPath(call.rawPath())).append('\n');
        out.append(canonicalQuery(call.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = call.headers().getOrDefault(name, List.of());
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(trimAll(values.get(i)));
            }
            out.append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n');
        out.append(sha256Hex(call.body()));
        return out.toString();
    }

    /** Trims a header value and folds each run of whitespace (line folds included) into one space. */
    private static String trimAll(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    static String canonicalPath(String rawPath) {
        if (rawPath.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        StringBuilder path = new StringBuilder(rawPath.length() + 8);
        for (String segment : segments) {
            path.append('/');
            encode(segment, path);
        }
        if (segments.isEmpty() || rawPath.endsWith("/")) {
            path.append('/');
        }
        return path.toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {encode(decode(key)), encode(decode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        for (String[] pair : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** Percent-decodes {@code %XX} escapes (a stray {@code %} stays as it is); {@code +} is a plus, not a space. */
    public static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static String encode(String text) {
        return encode(text, new StringBuilder(text.length() + 8)).toString();
    }

    /** AWS's URI encoding: unreserved characters stay, every other byte of the UTF-8 form becomes {@code %XX}. */
    private static StringBuilder encode(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && UNRESERVED[c]) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < text.length() ? i + 2 : i + 1;
            for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return out;
    }

    static String sha256Hex(byte[] bytes) {
        if (bytes.length == 0) {
            return EMPTY_SHA256;
        }
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HEX.formatHex(digest.digest(bytes));
    }
}
