package dev.outpost.edge.ingest;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Pattern;

/** Operation ids: UUID version 7 (time-ordered, RFC 9562) for the ones the edge makes. */
public final class OperationIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Canonical lower- or upper-case 8-4-4-4-12 hex form, nothing else. */
  private static final Pattern CANONICAL =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private OperationIds() {}

  public static UUID newV7() {
    return v7(System.currentTimeMillis());
  }

  static UUID v7(long epochMillis) {
    byte[] rand = new byte[10];
    RANDOM.nextBytes(rand);
    long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16;
    msb |= 0x7000L; // version 7
    msb |= ((rand[0] & 0x0FL) << 8) | (rand[1] & 0xFFL); // rand_a, 12 bits
    long lsb = 0x8000_0000_0000_0000L; // variant 10
    lsb |= (rand[2] & 0x3FL) << 56;
    for (int i = 3; i < 10; i++) {
      lsb |= (rand[i] & 0xFFL) << (8 * (9 - i));
    }
    return new UUID(msb, lsb);
  }

  public static boolean isCanonical(String text) {
    return text != null && CANONICAL.matcher(text).matches();
  }

  /** The stored form: lower case. */
  public static String normalize(String text) {
    return text.toLowerCase(java.util.Locale.ROOT);
  }
}
