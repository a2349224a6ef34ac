package dev.outpost.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A terminal's bridge reconnect schedule, spread across the fleet. Artemis core bridges retry at
 * {@code retry-interval × multiplier^n}, capped at {@code max-retry-interval}, with no jitter: a
 * fleet whose bridges all lost central at the same instant (a broker restart) would retry in step,
 * every terminal at the same moments. Each terminal therefore gets its own factor in [1, 2), fixed
 * by its id (stable across restarts, evenly spread over the fleet), applied to the first interval
 * (so the whole doubling schedule) and, halved, to the cap (5 s to 7.5 s): the retries of a fleet
 * fall evenly over a window instead of on one instant, and no terminal waits more than 7.5 s. An
 * explicit {@code bridgeRetryMillis} / {@code bridgeMaxRetryMillis} setting wins.
 */
public final class BridgeBackoff {
  public static final long BASE_RETRY_MILLIS = 500;
  public static final long BASE_MAX_RETRY_MILLIS = 5_000;

  private BridgeBackoff() {}

  /** This terminal's factor in [1, 2). */
  public static double factor(String terminalId) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(String.valueOf(terminalId).getBytes(StandardCharsets.UTF_8));
      int v = ((d[0] & 0xff) << 8) | (d[1] & 0xff);
      return 1.0 + v / 65536.0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long retryMillis(String terminalId) {
    return Math.round(BASE_RETRY_MILLIS * factor(terminalId));
  }

  /** The cap, spread by half the factor: [baseMax, 1.5 × baseMax). */
  public static long maxRetryMillis(String terminalId, long baseMax) {
    return Math.round(baseMax * (1 + (factor(terminalId) - 1) / 2));
  }
}
