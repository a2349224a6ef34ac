package dev.outpost.centralbroker;

import java.util.ArrayList;
import java.util.List;

/**
 * Outside the sandbox ({@code OUTPOST_PROFILE=prod}, or the acceptor bound beyond loopback) the
 * broker refuses the sandbox passwords, naming the setting to change, before anything listens. An
 * HA pair always needs a cluster password of its own (both brokers must share it).
 */
final class SandboxGuard {
  private SandboxGuard() {}

  static void check(BrokerSettings settings, String dbPassword) {
    BrokerSettings.Broker b = settings.broker();
    List<String> problems = new ArrayList<>();
    boolean outside = settings.production() || !loopback(b.host());
    if (outside && "central-sandbox".equals(b.password())) {
      problems.add("the service user has the sandbox password: set OUTPOST_BROKER_PASSWORD");
    }
    if (outside && "outpost".equals(dbPassword)) {
      problems.add("the database login has the sandbox password: set OUTPOST_DB_PASSWORD");
    }
    if (b.ha() != null
        && b.ha().enabled()
        && (b.clusterPassword() == null || b.clusterPassword().isBlank())) {
      problems.add(
          "an HA pair needs one cluster password on both brokers: set"
              + " OUTPOST_BROKER_CLUSTER_PASSWORD");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "central-broker refuses to start: " + String.join("; ", problems));
    }
  }

  static boolean loopback(String host) {
    return host != null
        && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1"));
  }
}
