package dev.tally.domain.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes opaque, tamper-evident tokens: a payload plus an HMAC-SHA256 (truncated to 128 bits) over a scope
 * and the payload, under a secret every server of one database shares. A token verifies only unaltered and
 * only in the scope it was signed for.
 */
public final class Signer {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public Signer(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a signing secret needs at least 256 bits");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    public String sign(String scope, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        byte[] token = Arrays.copyOf(body, body.length + MAC_BYTES);
        System.arraycopy(mac(scope, body), 0, token, body.length, MAC_BYTES);
        return ENCODER.encodeToString(token);
    }

    /** The payload of {@code token} when it was signed for {@code scope} and is unaltered; else empty. */
    public Optional<String> verify(String scope, String token) {
        byte[] raw;
        try {
            raw = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length <= MAC_BYTES) {
            return Optional.empty();
        }
        byte[] body = Arrays.copyOfRange(raw, 0, raw.length - MAC_BYTES);
        byte[] presented = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
        byte[] expected = Arrays.copyOf(mac(scope, body), MAC_BYTES);
        return MessageDigest.isEqual(expected, presented)
                ? Optional.of(new String(body, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private byte[] mac(String scope, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
