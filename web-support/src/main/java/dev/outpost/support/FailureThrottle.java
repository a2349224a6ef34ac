package dev.outpost.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failures (wrong passwords, wrong PINs) per key and locks a key out once it has had {@code
 * maxFailures} within {@code window}: the first lockout lasts {@code lockout}, each further one
 * twice the previous, at most {@code maxLockout}. A success or {@link #lift} forgets the key; so
 * does a quiet spell of {@code window + maxLockout} without failures. In memory, per process,
 * bounded to {@value #MAX_KEYS} keys.
 */
public final class FailureThrottle {
  static final int MAX_KEYS = 10_000;

  /** How many failures are allowed in which window, and how long the lockouts last. */
  public record Policy(int maxFailures, Duration window, Duration lockout, Duration maxLockout) {
    public Policy {
      if (maxFailures < 1
          || window.isNegative()
          || window.isZero()
          || lockout.isNegative()
          || lockout.isZero()
          || maxLockout.compareTo(lockout) < 0) {
        throw new IllegalArgumentException(
            "throttle needs maxFailures >= 1, a positive window and lockout, maxLockout >= lockout");
      }
    }
  }

  private static final class Entry {
    final ArrayDeque<Instant> failures = new ArrayDeque<>();
    Instant lockedUntil;
    Instant lastFailure;
    int lockouts;
  }

  private final Policy policy;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  public FailureThrottle(Policy policy, Clock clock) {
    this.policy = policy;
    this.clock = clock;
  }

  /** How long the key is still locked out, if it is. */
  public synchronized Optional<Duration> lockedFor(String key) {
    Entry e = entries.get(key);
    Instant now = clock.instant();
    if (e == null || e.lockedUntil == null || !now.isBefore(e.lockedUntil)) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, e.lockedUntil));
  }

  /** Counts one failure; answers the lockout it started, if it was one too many. */
  public synchronized Optional<Duration> failed(String key) {
    Instant now = clock.instant();
    if (entries.size() >= MAX_KEYS && !entries.containsKey(key)) {
      prune(now);
    }
    Entry e = entries.computeIfAbsent(key, k -> new Entry());
    if (e.lastFailure != null
        && e.lastFailure.plus(policy.window()).plus(policy.maxLockout()).isBefore(now)) {
      e.lockouts = 0;
    }
    e.lastFailure = now;
    Instant windowStart = now.minus(policy.window());
    while (!e.failures.isEmpty() && !e.failures.peekFirst().isAfter(windowStart)) {
      e.failures.pollFirst();
    }
    e.failures.addLast(now);
    if (e.failures.size() < policy.maxFailures()) {
      return Optional.empty();
    }
    Duration lock = policy.lockout().multipliedBy(1L << Math.min(e.lockouts, 20));
    if (lock.compareTo(policy.maxLockout()) > 0) {
      lock = policy.maxLockout();
    }
    e.lockouts++;
    e.failures.clear();
    e.lockedUntil = now.plus(lock);
    return Optional.of(lock);
  }

  /** A right password or PIN: the key starts afresh. */
  public synchronized void succeeded(String key) {
    entries.remove(key);
  }

  /** An operator with the rights lifts the lockout by hand. */
  public synchronized void lift(String key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }

  /**
   * Forgets keys that are neither locked nor within a window; if that is not enough, the unlocked
   * ones.
   */
  private void prune(Instant now) {
    Instant forgetBefore = now.minus(policy.window()).minus(policy.maxLockout());
    entries
        .values()
        .removeIf(
            e ->
                (e.lockedUntil == null || !now.isBefore(e.lockedUntil))
                    && e.lastFailure.isBefore(forgetBefore));
    if (entries.size() < MAX_KEYS) {
      return;
    }
    entries.values().removeIf(e -> e.lockedUntil == null || !now.isBefore(e.lockedUntil));
    Iterator<Entry> it = entries.values().iterator();
    while (entries.size() >= MAX_KEYS && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
