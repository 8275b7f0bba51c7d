package org.pgeventstore.application.access;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret of an API key: {@code pges_} and 43 characters of URL-safe base64, 256 random bits.
 * Only its SHA-256 is stored.
 */
public final class ApiKeySecret {

    /** Every key this service generates starts so; a bearer token without it is not one of its keys. */
    public static final String PREFIX = "pges_";

    /** The shortest secret accepted from configuration ({@code EVENTSTORE_ADMIN_KEY}). */
    public static final int MIN_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code token} has the shape of a key of this service (not whether it is one). */
    public static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX) && token.length() >= MIN_LENGTH && token.length() <= 512;
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(impossible);
        }
    }
}
