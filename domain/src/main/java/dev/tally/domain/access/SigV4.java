package dev.tally.domain.access;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The arithmetic of AWS Signature Version 4: the signing key, and the signature of a string to sign. */
public final class SigV4 {

    /** Looking a MAC up costs more than computing one: each thread keeps its own. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    });

    private SigV4() {
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    public static byte[] signingKey(String secret, String scopeDate, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scopeDate);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    /** The lower-case hex signature of {@code stringToSign} under {@code signingKey}. */
    public static String signature(byte[] signingKey, String stringToSign) {
        return HexFormat.of().formatHex(hmac(signingKey, stringToSign));
    }

    /** Compares in time independent of where the two differ. */
    public static boolean sameSignature(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an HMAC-SHA256 key was refused", e);
        }
    }
}
