package dev.tally.domain.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident page tokens. A token carries a cursor and is bound to a scope (the listing and
 * what it lists, e.g. {@code "ListUsagePlanKeys/q2hrol"}) by an HMAC-SHA256 under a server secret shared by
 * every server of one database. An altered token, or one issued for another scope, is rejected.
 */
public final class PageTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public PageTokens(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the page token secret needs at least 256 bits");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** Validates a listing request's size and token against {@code spec}, for a listing of {@code scope}. */
    public PageRequest request(PageSpec spec, String scope, int pageSize, String token) {
        int size = spec.size(pageSize);
        return new PageRequest(size, cursor(spec, scope, token));
    }

    /**
     * Builds a page from up to {@code request.size() + 1} items fetched in cursor order: the extra item, if
     * present, only proves that another page follows.
     */
    public <T> Page<T> page(String scope, PageRequest request, List<T> fetched, Function<T, String> cursorOf) {
        if (fetched.size() <= request.size()) {
            return new Page<>(fetched, "");
        }
        List<T> items = fetched.subList(0, request.size());
        return new Page<>(items, issue(scope, cursorOf.apply(items.get(items.size() - 1))));
    }

    /** Issues a token for continuing {@code scope} after {@code cursor}. */
    public String issue(String scope, String cursor) {
        byte[] payload = cursor.getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(scope, payload);
        byte[] token = new byte[payload.length + MAC_BYTES];
        System.arraycopy(payload, 0, token, 0, payload.length);
        System.arraycopy(mac, 0, token, payload.length, MAC_BYTES);
        return ENCODER.encodeToString(token);
    }

    /** The cursor in {@code token}; empty for an empty token; rejected when altered or foreign. */
    public Optional<String> cursor(PageSpec spec, String scope, String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid(spec, token);
        }
        if (raw.length <= MAC_BYTES) {
            throw invalid(spec, token);
        }
        byte[] payload = Arrays.copyOfRange(raw, 0, raw.length - MAC_BYTES);
        byte[] presented = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
        byte[] expected = Arrays.copyOf(mac(scope, payload), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw invalid(spec, token);
        }
        return Optional.of(new String(payload, StandardCharsets.UTF_8));
    }

    private byte[] mac(String scope, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static InvalidParameterException invalid(PageSpec spec, String token) {
        return new InvalidParameterException(spec.reason(), spec.tokenField(), spec.tokenField() + " "
                + TallyException.quote(token) + " is invalid: pass back the token of the previous page unchanged");
    }
}
