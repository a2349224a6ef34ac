package dev.outpost.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A terminal's credential is a random 256-bit secret made at enrollment. Central keeps only its
 * SHA-256 ({@code sha256:<hex>}): with that much entropy an unsalted hash cannot be guessed back,
 * and checking it is cheap enough for thousands of bridges reconnecting at once.
 */
public final class TerminalSecrets {
  public static final String PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TerminalSecrets() {}

  /** A new secret, URL-safe base64 (43 characters). */
  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String hash(String secret) {
    return PREFIX + HexFormat.of().formatHex(sha256(secret));
  }

  /** Constant-time comparison of a presented secret with a stored hash. */
  public static boolean matches(String secret, String storedHash) {
    if (secret == null || storedHash == null || !storedHash.startsWith(PREFIX)) {
      return false;
    }
    byte[] expected;
    try {
      expected = HexFormat.of().parseHex(storedHash.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, sha256(secret));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
