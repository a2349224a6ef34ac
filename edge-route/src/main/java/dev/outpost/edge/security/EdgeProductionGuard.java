package dev.outpost.edge.security;

import dev.outpost.support.Users;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A terminal outside the sandbox — {@code OUTPOST_PROFILE=prod}, or its HTTP bound beyond loopback
 * — refuses to start with the sandbox logins (ops/ops, viewer/viewer), naming the settings to
 * change (and with a test-only fault switch on). The embedded broker takes this bean, so nothing
 * starts before the check.
 */
@Component
public class EdgeProductionGuard {
  private static final Set<String> SANDBOX_PASSWORDS = Set.of("ops", "viewer");

  public EdgeProductionGuard(
      Users users,
      @Value("${outpost.profile:local}") String profile,
      @Value("${server.address:}") String httpAddress,
      @Value("${outpost.fault.halt-after-derby-commits:0}") int faultHaltAfterDerbyCommits) {
    boolean loopback =
        httpAddress.startsWith("127.")
            || httpAddress.equals("localhost")
            || httpAddress.equals("::1");
    if (!"prod".equalsIgnoreCase(profile) && loopback) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Users.Login u : users.users()) {
      if (SANDBOX_PASSWORDS.contains(u.password()) || u.password().equals(u.name())) {
        problems.add(
            "the login '"
                + u.name()
                + "' has a sandbox password: set OUTPOST_"
                + u.role().toUpperCase()
                + "_PASSWORD");
      }
    }
    if (faultHaltAfterDerbyCommits > 0) {
      problems.add("test-only fault injection is on: unset OUTPOST_FAULT_HALT_AFTER_DERBY_COMMITS");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "the terminal refuses to start outside the local sandbox ("
              + ("prod".equalsIgnoreCase(profile)
                  ? "OUTPOST_PROFILE=prod"
                  : "HTTP bound beyond loopback")
              + "): "
              + String.join("; ", problems));
    }
  }
}
