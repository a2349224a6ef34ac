package dev.outpost.centralbroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.junit.jupiter.api.Test;

class HaPolicyTest {
  private static BrokerSettings settings(
      String host, String password, String cluster, String role) {
    return new BrokerSettings(
        Path.of("data"),
        "local",
        new BrokerSettings.Broker(
            "",
            host,
            61616,
            "outpost-central",
            password,
            cluster,
            new BrokerSettings.Tls("", "", "", List.of()),
            new BrokerSettings.Ha(role, "", "127.0.0.1:61617")));
  }

  @Test
  void thePrimaryAndTheBackupGetSharedStorePoliciesAndAnnounceThroughAClusterConnection() {
    Configuration primary = new ConfigurationImpl();
    HaPolicy.apply(primary, settings("127.0.0.1", "s", "c", "primary").broker(), Path.of("ca.pem"));
    assertThat(primary.getHAPolicyConfiguration())
        .isInstanceOf(SharedStorePrimaryPolicyConfiguration.class);
    assertThat(primary.getClusterConfigurations()).hasSize(1);
    assertThat(primary.getConnectorConfigurations()).containsKeys("self", "partner");
    assertThat(primary.getConnectorConfigurations().get("self").getParams())
        .containsEntry("sslEnabled", "true")
        .containsEntry("verifyHost", "true");

    Configuration backup = new ConfigurationImpl();
    HaPolicy.apply(backup, settings("0.0.0.0", "s", "c", "backup").broker(), Path.of("ca.pem"));
    assertThat(backup.getHAPolicyConfiguration())
        .isInstanceOfSatisfying(
            SharedStoreBackupPolicyConfiguration.class,
            b -> {
              assertThat(b.isFailoverOnServerShutdown()).isTrue();
              assertThat(b.isAllowFailBack()).isTrue();
            });
    assertThat(backup.getConnectorConfigurations().get("self").getParams())
        .containsEntry("host", "127.0.0.1");
  }

  @Test
  void anUnknownRoleIsRefused() {
    assertThatThrownBy(
            () ->
                HaPolicy.apply(
                    new ConfigurationImpl(),
                    settings("127.0.0.1", "s", "c", "master").broker(),
                    Path.of("ca.pem")))
        .hasMessageContaining("primary or backup");
  }

  @Test
  void outsideLoopbackTheSandboxPasswordsAreRefusedAndAPairNeedsAClusterPassword() {
    assertThatThrownBy(
            () -> SandboxGuard.check(settings("0.0.0.0", "central-sandbox", "c", ""), "outpost"))
        .hasMessageContaining("OUTPOST_BROKER_PASSWORD")
        .hasMessageContaining("OUTPOST_DB_PASSWORD");
    assertThatThrownBy(() -> SandboxGuard.check(settings("127.0.0.1", "s", "", "backup"), "x"))
        .hasMessageContaining("OUTPOST_BROKER_CLUSTER_PASSWORD");
    SandboxGuard.check(settings("127.0.0.1", "central-sandbox", "", ""), "outpost");
  }
}
