package dev.tally.domain.access;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Bearer token text. Generated tokens are a kind prefix plus 256 random bits in base64url; an operator's
 * bootstrap token may be any 32..512 printable ASCII characters without spaces.
 */
public final class BearerTokens {

    static final String DEVELOPER_PREFIX = "tally_dev_";
    static final String IDENTITY_PREFIX = "tally_idt_";

    private static final Pattern WELL_FORMED = Pattern.compile("^[\\x21-\\x7e]{32,512}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private BearerTokens() {
    }

    public static String newDeveloperToken() {
        return DEVELOPER_PREFIX + randomSecret();
    }

    public static String newIdentityToken() {
        return IDENTITY_PREFIX + randomSecret();
    }

    /** Whether {@code token} has the shape of any token Tally accepts. */
    public static boolean wellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    static boolean isIdentityToken(String token) {
        return token.startsWith(IDENTITY_PREFIX);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
