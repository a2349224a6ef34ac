package dev.outpost.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Wrong logins counted per user and per client address ({@link FailureThrottle} each): either one
 * locked out means 429. Used for HTTP basic logins (central, the edge's actuator) and for the
 * edge's offline PIN sign-in, each with its own instance.
 */
public final class LoginThrottle {
  private static final int MAX_KEY_LENGTH = 128;

  /** {@code outpost.login-throttle.*}; the defaults hold when a key is absent. */
  @ConfigurationProperties("outpost.login-throttle")
  public record Settings(
      @DefaultValue("5") int maxFailuresPerUser,
      @DefaultValue("20") int maxFailuresPerAddress,
      @DefaultValue("5m") Duration window,
      @DefaultValue("1m") Duration lockout,
      @DefaultValue("1h") Duration maxLockout) {}

  private final FailureThrottle users;
  private final FailureThrottle addresses;

  public LoginThrottle(Settings s, Clock clock) {
    this.users =
        new FailureThrottle(
            new FailureThrottle.Policy(
                s.maxFailuresPerUser(), s.window(), s.lockout(), s.maxLockout()),
            clock);
    this.addresses =
        new FailureThrottle(
            new FailureThrottle.Policy(
                s.maxFailuresPerAddress(), s.window(), s.lockout(), s.maxLockout()),
            clock);
  }

  /** The longer of the user's and the address's remaining lockout, if either is locked. */
  public Optional<Duration> lockedFor(String user, String address) {
    Optional<Duration> u = users.lockedFor(key(user));
    Optional<Duration> a = address == null ? Optional.empty() : addresses.lockedFor(key(address));
    if (u.isPresent() && a.isPresent()) {
      return Optional.of(u.get().compareTo(a.get()) >= 0 ? u.get() : a.get());
    }
    return u.isPresent() ? u : a;
  }

  public void failed(String user, String address) {
    users.failed(key(user));
    if (address != null) {
      addresses.failed(key(address));
    }
  }

  /**
   * A right login forgets the user's failures; the address keeps its count (one valid login must
   * not clear guesses at other users from the same place).
   */
  public void succeeded(String user) {
    users.succeeded(key(user));
  }

  /** An ops login lifts a user's lockout, and the address's if one is given. */
  public void lift(String user, String address) {
    users.lift(key(user));
    if (address != null) {
      addresses.lift(key(address));
    }
  }

  /** User names compare case-insensitively (Spring's in-memory users do), and long ones are cut. */
  private static String key(String raw) {
    String k = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
    return k.length() > MAX_KEY_LENGTH ? k.substring(0, MAX_KEY_LENGTH) : k;
  }
}
