package dev.outpost.edge.masterdata;

import dev.outpost.support.LoginThrottle;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Wrong PINs at the offline sign-in, counted per operator and per client address with the {@code
 * outpost.login-throttle.*} settings: after {@code max-failures-per-user} wrong PINs for one
 * operator (or {@code max-failures-per-address} from one address) within the window the sign-in
 * answers 429 until the lockout ends (doubling with each further lockout) or an ops login lifts it
 * with {@code DELETE /api/v1/operators/{id}/lockout}. Separate from the HTTP basic login throttle:
 * operator ids and integrator logins are different names.
 */
@Component
public class OperatorLockouts {
  private final LoginThrottle throttle;

  public OperatorLockouts(LoginThrottle.Settings settings) {
    this.throttle = new LoginThrottle(settings, Clock.systemUTC());
  }

  public Optional<Duration> lockedFor(String operatorId, String address) {
    return throttle.lockedFor(operatorId, address);
  }

  public void wrongPin(String operatorId, String address) {
    throttle.failed(operatorId, address);
  }

  public void signedIn(String operatorId) {
    throttle.succeeded(operatorId);
  }

  /** Lifts the operator's lockout and that of the address the ops login comes from (the till). */
  public void lift(String operatorId, String address) {
    throttle.lift(operatorId, address);
  }
}
