package dev.tally.domain.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets that must be read back (SigV4 needs the secret itself, not a hash) with AES-256-GCM under a
 * master key that is never stored in the database. A sealed value is a 12-byte random nonce followed by
 * the ciphertext and its tag; {@code context} is bound as associated data, so a sealed secret copied to
 * another row or purpose fails to open.
 */
public final class SecretBox {

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretBox(byte[] masterKey) {
        if (masterKey == null || masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
    }

    /** A new random master key. */
    public static byte[] newMasterKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Reads a base64 master key; the message never echoes the text, which is a secret. */
    public static SecretBox fromBase64(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key is not valid base64");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("the master key must be base64 of " + KEY_BYTES + " bytes, not " + bytes.length);
        }
        return new SecretBox(bytes);
    }

    public byte[] seal(String context, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, context, secret.getBytes(StandardCharsets.UTF_8), 0);
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    /**
     * @throws IllegalStateException when the value was sealed under another master key or context, or altered
     */
    public String open(String context, byte[] sealed) {
        if (sealed == null || sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("a sealed secret is too short");
        }
        byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_BYTES);
        return new String(crypt(Cipher.DECRYPT_MODE, nonce, context, sealed, NONCE_BYTES), StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, byte[] nonce, String context, byte[] input, int offset) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, input.length - offset);
        } catch (GeneralSecurityException e) {
            // Only opening can fail for a reason other than a broken JDK: the master key does not match.
            throw new IllegalStateException("a sealed secret cannot be opened: the master key differs from the one that sealed it");
        }
    }
}
