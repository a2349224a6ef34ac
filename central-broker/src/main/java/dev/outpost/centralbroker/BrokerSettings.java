package dev.outpost.centralbroker;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code outpost.*} settings of application.yml. */
@ConfigurationProperties(prefix = "outpost")
public record BrokerSettings(Path dataDir, String profile, Broker broker) {

  public boolean production() {
    return "prod".equalsIgnoreCase(profile);
  }

  public record Broker(
      String configFile,
      String host,
      int port,
      String user,
      String password,
      String clusterPassword,
      Tls tls,
      Ha ha) {}

  /** Own PKCS#12 key store (and its CA's PEM), or a local CA when {@code keyStore} is empty. */
  public record Tls(String keyStore, String keyStorePassword, String caFile, List<String> names) {
    public boolean own() {
      return keyStore != null && !keyStore.isBlank();
    }
  }

  /** Shared-store HA: role primary or backup, or empty for a single broker. */
  public record Ha(String role, String advertisedHost, String partner) {
    public boolean enabled() {
      return role != null && !role.isBlank();
    }

    public boolean primary() {
      return "primary".equalsIgnoreCase(role);
    }
  }
}
