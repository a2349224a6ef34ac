package dev.outpost.central.security;

import dev.outpost.central.config.CentralProperties;
import dev.outpost.central.enrollment.EnrollmentRepository;
import dev.outpost.support.Users;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Outside the sandbox — {@code OUTPOST_PROFILE=prod}, or central's HTTP or broker bound beyond
 * loopback — central refuses to start with any sandbox default, naming the setting to change: the
 * sandbox logins, the broker's sandbox password, the database's sandbox password, demo data,
 * sandbox terminals, a terminal still holding a credential central made for the sandbox, or a
 * test-only fault switch. PostgreSQL and the broker are created after this check (they take this
 * bean), so nothing starts or listens before it.
 */
@Component
@Order(0)
public class ProductionGuard implements ApplicationRunner {
  static final Map<String, String> SANDBOX_LOGINS =
      Map.of("ops", "OUTPOST_OPS_PASSWORD", "viewer", "OUTPOST_VIEWER_PASSWORD");
  private final CentralProperties props;
  private final ObjectProvider<EnrollmentRepository> enrollments;
  private final boolean outsideSandbox;

  /** Checks the settings before PostgreSQL and the broker start (both take this bean). */
  public ProductionGuard(
      CentralProperties props,
      Users users,
      ObjectProvider<EnrollmentRepository> enrollments,
      @Value("${server.address:}") String httpAddress) {
    this.props = props;
    this.enrollments = enrollments;
    this.outsideSandbox =
        props.production() || !isLoopback(httpAddress) || !isLoopback(props.broker().host());
    if (!outsideSandbox) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Users.Login u : users.users()) {
      String env = SANDBOX_LOGINS.get(u.password());
      if (env != null || u.password().equals(u.name())) {
        problems.add(
            "the login '"
                + u.name()
                + "' has a sandbox password: set "
                + (env != null ? env : "its password"));
      }
    }
    if ("central-sandbox".equals(props.broker().password())) {
      problems.add(
          "the broker's service user has the sandbox password: set OUTPOST_BROKER_PASSWORD");
    }
    if ("outpost".equals(props.db().password())) {
      problems.add("PostgreSQL has the sandbox password: set OUTPOST_DB_PASSWORD");
    }
    if (props.demoData()) {
      problems.add("demo data is on: set OUTPOST_DEMO_DATA=false");
    }
    if (props.enrollment().sandboxTerminals().stream().anyMatch(t -> !t.isBlank())) {
      problems.add(
          "sandbox terminals are enrolled by central itself: set OUTPOST_SANDBOX_TERMINALS= (empty) and enroll terminals with ./outpost terminals add");
    }
    if (props.ingest().faultHaltAfterCommits() > 0) {
      problems.add("test-only fault injection is on: unset OUTPOST_FAULT_HALT_AFTER_COMMITS");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(refusal(problems));
    }
  }

  /** After the migrations: no terminal may keep a credential central made for the sandbox. */
  @Override
  public void run(ApplicationArguments args) {
    if (!outsideSandbox) {
      return;
    }
    List<String> sandboxed = enrollments.getObject().activeEnrolledBy("sandbox");
    if (!sandboxed.isEmpty()) {
      throw new IllegalStateException(
          refusal(
              List.of(
                  "terminals "
                      + sandboxed
                      + " hold sandbox credentials: revoke them"
                      + " (./outpost terminals revoke ID) or enroll them again (./outpost terminals add ID)")));
    }
  }

  private String refusal(List<String> problems) {
    String why = props.production() ? "OUTPOST_PROFILE=prod" : "central is bound beyond loopback";
    return "central refuses to start outside the local sandbox ("
        + why
        + "): "
        + String.join("; ", problems);
  }

  static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      // Spring's default: every interface.
      return false;
    }
    String h = host.trim();
    return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.");
  }
}
