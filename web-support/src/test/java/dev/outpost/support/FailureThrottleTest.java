package dev.outpost.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lockout arithmetic, on a clock the test moves. */
class FailureThrottleTest {
  /** A clock that only moves when told. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-05-01T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();
  final FailureThrottle throttle =
      new FailureThrottle(
          new FailureThrottle.Policy(
              5, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(10)),
          clock);

  @Test
  void theFifthFailureInTheWindowLocksAndTimeLiftsIt() {
    for (int i = 0; i < 4; i++) {
      assertThat(throttle.failed("cashier-1")).isEmpty();
      assertThat(throttle.lockedFor("cashier-1")).isEmpty();
    }
    assertThat(throttle.failed("cashier-1")).contains(Duration.ofMinutes(1));
    assertThat(throttle.lockedFor("cashier-1")).contains(Duration.ofMinutes(1));
    assertThat(throttle.lockedFor("cashier-2")).as("other keys unaffected").isEmpty();

    clock.advance(Duration.ofSeconds(59));
    assertThat(throttle.lockedFor("cashier-1")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.lockedFor("cashier-1")).isEmpty();
  }

  @Test
  void failuresOutsideTheWindowDoNotCount() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("k");
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(throttle.failed("k")).isEmpty();
  }

  @Test
  void repeatedLockoutsDoubleUpToTheMaximum() {
    Optional<Duration> last = Optional.empty();
    Duration[] expected = {
      Duration.ofMinutes(1),
      Duration.ofMinutes(2),
      Duration.ofMinutes(4),
      Duration.ofMinutes(8),
      Duration.ofMinutes(10)
    };
    for (Duration want : expected) {
      for (int i = 0; i < 5; i++) {
        last = throttle.failed("k");
      }
      assertThat(last).contains(want);
      clock.advance(want);
    }
  }

  @Test
  void successAndLiftForgetTheKey() {
    for (int i = 0; i < 5; i++) {
      throttle.failed("k");
    }
    assertThat(throttle.lockedFor("k")).isPresent();
    throttle.lift("k");
    assertThat(throttle.lockedFor("k")).isEmpty();
    for (int i = 0; i < 4; i++) {
      throttle.failed("k");
    }
    throttle.succeeded("k");
    assertThat(throttle.failed("k")).as("count started afresh").isEmpty();
  }

  @Test
  void manyKeysStayBounded() {
    for (int i = 0; i < FailureThrottle.MAX_KEYS + 500; i++) {
      throttle.failed("user-" + i);
    }
    assertThat(throttle.size()).isLessThanOrEqualTo(FailureThrottle.MAX_KEYS);
  }

  @Test
  void loginThrottleLocksPerUserAndPerAddress() {
    LoginThrottle login =
        new LoginThrottle(
            new LoginThrottle.Settings(
                5, 20, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofHours(1)),
            clock);
    for (int i = 0; i < 5; i++) {
      login.failed("Ops", "10.0.0.1");
    }
    assertThat(login.lockedFor("ops", "10.0.0.2"))
        .as("user names compare case-insensitively")
        .isPresent();
    for (int i = 0; i < 20; i++) {
      login.failed("user-" + i, "10.0.0.9");
    }
    assertThat(login.lockedFor("someone-else", "10.0.0.9")).as("the address is locked").isPresent();
    login.lift("someone-else", "10.0.0.9");
    assertThat(login.lockedFor("someone-else", "10.0.0.9")).isEmpty();
  }
}
