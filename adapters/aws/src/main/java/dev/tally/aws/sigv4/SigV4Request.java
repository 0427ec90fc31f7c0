package dev.tally.aws.sigv4;

import dev.tally.http.HttpCall;
import dev.tally.domain.access.SignedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads a request's SigV4 {@code Authorization} header and builds what the client signed: the canonical
 * request and the string to sign, as AWS's Signature Version 4 defines them for every service but S3
 * (dot segments and repeated slashes removed from the path, which is then percent-encoded once more).
 * Whether the signature is right is the domain's call: it holds the secret.
 */
public final class SigV4Request {

    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String SCHEME = ALGORITHM + " ";
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

    /**
     * An {@code Authorization} header's parts: {@code AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
     * SignedHeaders=a;b, Signature=HEX}, parts in any order.
     */
    private record Authorization(String accessKeyId, String scopeDate, String region, String service, List<String> signedHeaders,
                                 String signature) {

        /** The parts of {@code header}, or null when it is not a well-formed SigV4 header (read by hand: a regex cost more). */
        static Authorization parse(String header) {
            if (!header.startsWith(SCHEME)) {
                return null;
            }
            String[] credential = null;
            String signedHeaders = null;
            String signature = null;
            for (String part : header.substring(SCHEME.length()).split(",")) {
                String trimmed = part.strip();
                if (trimmed.startsWith("Credential=")) {
                    credential = trimmed.substring("Credential=".length()).split("/", -1);
                } else if (trimmed.startsWith("SignedHeaders=")) {
                    signedHeaders = trimmed.substring("SignedHeaders=".length());
                } else if (trimmed.startsWith("Signature=")) {
                    signature = trimmed.substring("Signature=".length());
                } else {
                    return null;
                }
            }
            if (credential == null || credential.length != 5 || !credential[4].equals("aws4_request") || signedHeaders == null
                    || signature == null || signature.length() != 64 || !isLowerHex(signature) || credential[1].length() != 8
                    || !isHeaderList(signedHeaders)) {
                return null;
            }
            for (String piece : credential) {
                if (piece.isEmpty() || hasWhitespace(piece)) {
                    return null;
                }
            }
            return new Authorization(credential[0], credential[1], credential[2], credential[3], List.of(signedHeaders.split(";")),
                    signature);
        }

        /** Lower-case header names joined by {@code ;}, none empty. */
        private static boolean isHeaderList(String text) {
            boolean empty = true;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ';') {
                    if (empty) {
                        return false;
                    }
                    empty = true;
                } else if (c > ' ' && c < 127 && !(c >= 'A' && c <= 'Z') && c != ',' && c != ':') {
                    empty = false;
                } else {
                    return false;
                }
            }
            return !empty;
        }

        private static boolean hasWhitespace(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) <= ' ') {
                    return true;
                }
            }
            return false;
        }

        private static boolean isLowerHex(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The credential scope's service of a signed request (for routing), if it has one. */
    public static Optional<String> service(HttpCall call) {
        String header = call.header("authorization");
        Authorization authorization = header == null ? null : Authorization.parse(header);
        return authorization == null ? Optional.empty() : Optional.of(authorization.service());
    }

    /** What {@code call} claims to be signed with, ready for the domain to verify. */
    public static SignedRequest claim(HttpCall call) throws Malformed {
        String header = call.header("authorization");
        if (header == null || header.isBlank()) {
            throw new Malformed(true, "Missing Authentication Token");
        }
        if (call.headers().get("authorization").size() > 1) {
            throw new Malformed(false, "the request carries more than one Authorization header; send exactly one");
        }
        Authorization authorization = Authorization.parse(header);
        if (authorization == null) {
            throw new Malformed(false, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters"
                    + " of the AWS4-HMAC-SHA256 scheme");
        }
        String amzDate = Optional.ofNullable(call.header("x-amz-date")).orElse(call.header("date"));
        Instant signedAt = parseDate(amzDate);
        if (!authorization.signedHeaders().contains("host")) {
            throw new Malformed(false, "the Host header must be signed");
        }
        String scope = authorization.scopeDate() + "/" + authorization.region() + "/" + authorization.service() + "/aws4_request";
        String stringToSign = stringToSign(amzDate, scope, canonicalRequest(call, authorization.signedHeaders()));
        return new SignedRequest(authorization.accessKeyId(), authorization.scopeDate(), authorization.region(), authorization.service(),
                signedAt, stringToSign, authorization.signature(), Optional.ofNullable(call.header("x-amz-security-token")));
    }

    /** Reads {@code yyyyMMdd'T'HHmmss'Z'} by hand: a DateTimeFormatter took a tenth of a signed request's cost. */
    private static Instant parseDate(String amzDate) throws Malformed {
        if (amzDate == null) {
            throw new Malformed(false, "the request has no X-Amz-Date header");
        }
        if (amzDate.length() != 16 || amzDate.charAt(8) != 'T' || amzDate.charAt(15) != 'Z') {
            throw new Malformed(false, "X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z'");
        }
        try {
            return LocalDateTime.of(digits(amzDate, 0, 4), digits(amzDate, 4, 6), digits(amzDate, 6, 8), digits(amzDate, 9, 11),
                    digits(amzDate, 11, 13), digits(amzDate, 13, 15)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException | NumberFormatException e) {
            throw new Malformed(false, "X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z'");
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
        if (isPlainPath(rawPath)) {
            return rawPath;
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

    /** A path that is already canonical: no empty, {@code .} or {@code ..} segment, and nothing to encode. */
    private static boolean isPlainPath(String rawPath) {
        if (rawPath.charAt(0) != '/') {
            return false;
        }
        for (int i = 1; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '/') {
                if (rawPath.charAt(i - 1) == '/') {
                    return false;
                }
            } else if (c >= 128 || !UNRESERVED[c]) {
                return false;
            } else if (c == '.' && rawPath.charAt(i - 1) == '/') {
                return false; // a segment starting with a dot may be . or ..: take the long way
            }
        }
        return true;
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
            pairs.add(new String[] {canonical(key), canonical(value)});
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

    /** A query key or value in AWS's encoding; most are plain already, and stay as they are. */
    private static String canonical(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 128 || !UNRESERVED[c]) {
                return encode(decode(raw));
            }
        }
        return raw;
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
