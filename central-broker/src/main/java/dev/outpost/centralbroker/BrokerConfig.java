package dev.outpost.centralbroker;

import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.broker.security.JdbcTerminalDirectory;
import dev.outpost.broker.security.OutpostSecurityManager;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.broker.tls.LocalCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts central's broker from broker-config's central broker.xml with the security manager
 * central-route embeds it with: the service user (central-route's login) and the enrolled terminals
 * read from central's PostgreSQL, each allowed only its own addresses; the terminal acceptor is TLS
 * 1.3 only. With {@code outpost.broker.ha.role} it is one half of a shared-store pair ({@link
 * HaPolicy}).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfig {

  @Bean(destroyMethod = "close")
  EmbeddedBroker centralBroker(
      BrokerSettings settings,
      DataSource dataSource,
      @Value("${spring.datasource.password:}") String dbPassword)
      throws Exception {
    BrokerSettings.Broker b = settings.broker();
    SandboxGuard.check(settings, dbPassword);
    Path dataDir = settings.dataDir().toAbsolutePath();
    Path keyStore;
    String keyStorePassword;
    Path caPem;
    BrokerSettings.Tls tls = b.tls();
    if (tls != null && tls.own()) {
      if (tls.caFile() == null || tls.caFile().isBlank()) {
        throw new IllegalStateException(
            "OUTPOST_BROKER_KEYSTORE is set but OUTPOST_BROKER_CA is not: give the PEM of the CA"
                + " that signed it");
      }
      keyStore = Path.of(tls.keyStore()).toAbsolutePath();
      keyStorePassword = tls.keyStorePassword() == null ? "" : tls.keyStorePassword();
      caPem = Path.of(tls.caFile()).toAbsolutePath();
    } else {
      List<String> names = new ArrayList<>();
      if (tls != null && tls.names() != null) {
        tls.names().stream().map(String::trim).filter(n -> !n.isEmpty()).forEach(names::add);
      }
      if (!HaPolicy.wildcard(b.host())) {
        names.add(b.host());
      }
      if (b.ha() != null && b.ha().advertisedHost() != null && !b.ha().advertisedHost().isBlank()) {
        names.add(b.ha().advertisedHost());
      }
      LocalCertificates local = LocalCertificates.ensure(dataDir.resolve("tls"), names);
      keyStore = local.keyStorePath();
      keyStorePassword = local.keyStorePassword();
      caPem = local.caCertificatePath();
    }
    OutpostSecurityManager security =
        new OutpostSecurityManager(
            Map.of(b.user(), b.password()),
            new JdbcTerminalDirectory(dataSource),
            Duration.ofSeconds(2));
    Map<String, String> values = new HashMap<>();
    values.put("dataDir", dataDir.toString());
    if (b.configFile() != null && !b.configFile().isBlank()) {
      values.put("brokerXml", b.configFile());
    }
    values.put("brokerHost", b.host());
    values.put("brokerPort", String.valueOf(b.port()));
    values.put("keyStorePath", keyStore.toString());
    values.put("keyStorePassword", keyStorePassword);
    String cluster = b.clusterPassword();
    values.put(
        "clusterPassword",
        cluster == null || cluster.isBlank() ? TerminalSecrets.generate() : cluster);
    BrokerSettings.Ha ha = b.ha();
    if (ha != null && ha.enabled()) {
      values.put(
          "resolvedFileName",
          "broker." + ha.role().trim().toLowerCase(java.util.Locale.ROOT) + ".resolved.xml");
    }
    return EmbeddedBroker.start(
        EmbeddedBroker.Role.CENTRAL,
        values,
        security,
        configuration -> {
          if (ha != null && ha.enabled()) {
            HaPolicy.apply(configuration, b, caPem);
          }
        });
  }
}
