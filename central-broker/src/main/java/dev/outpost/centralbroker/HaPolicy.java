package dev.outpost.centralbroker;

import dev.outpost.broker.tls.LocalCertificates;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;

/**
 * Shared-store HA (docs/architecture.md): both brokers use the same journal directory; whoever
 * holds its file lock is live, the other waits as backup and takes over when the lock is released
 * (kill -9 included: the kernel drops the lock with the process). A cluster connection carries no
 * messages (load balancing OFF); it only lets the backup announce itself, so clients learn the
 * pair's topology and fail over by themselves.
 */
final class HaPolicy {
  static final String CLUSTER_CONNECTION = "outpost-ha";

  private HaPolicy() {}

  static boolean wildcard(String host) {
    return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::");
  }

  static void apply(Configuration configuration, BrokerSettings.Broker b, Path caPem) {
    BrokerSettings.Ha ha = b.ha();
    String role = ha.role().trim().toLowerCase(java.util.Locale.ROOT);
    if (!role.equals("primary") && !role.equals("backup")) {
      throw new IllegalArgumentException(
          "OUTPOST_BROKER_HA must be primary or backup (or empty), got: " + ha.role());
    }
    String advertised =
        ha.advertisedHost() != null && !ha.advertisedHost().isBlank()
            ? ha.advertisedHost()
            : wildcard(b.host()) ? "127.0.0.1" : b.host();
    String clientTls = LocalCertificates.clientParameters(caPem);
    try {
      configuration.addConnectorConfiguration(
          "self", "tcp://" + advertised + ":" + b.port() + "?" + clientTls);
      ClusterConnectionConfiguration cc =
          new ClusterConnectionConfiguration()
              .setName(CLUSTER_CONNECTION)
              .setConnectorName("self")
              .setRetryInterval(500)
              .setReconnectAttempts(-1)
              .setMessageLoadBalancingType(MessageLoadBalancingType.OFF);
      if (ha.partner() != null && !ha.partner().isBlank()) {
        configuration.addConnectorConfiguration(
            "partner", "tcp://" + ha.partner().trim() + "?" + clientTls);
        cc.setStaticConnectors(List.of("partner"));
      }
      configuration.addClusterConfiguration(cc);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad HA connector settings: " + e.getMessage(), e);
    }
    if (role.equals("primary")) {
      configuration.setHAPolicyConfiguration(
          new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true));
    } else {
      configuration.setHAPolicyConfiguration(
          new SharedStoreBackupPolicyConfiguration()
              .setFailoverOnServerShutdown(true)
              .setAllowFailBack(true)
              .setRestartBackup(true));
    }
  }
}
