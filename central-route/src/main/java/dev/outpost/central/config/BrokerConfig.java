package dev.outpost.central.config;

import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.broker.security.JdbcTerminalDirectory;
import dev.outpost.broker.security.OutpostSecurityManager;
import dev.outpost.broker.security.TerminalSecrets;
import dev.outpost.central.security.ProductionGuard;
import dev.outpost.support.Users;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Central's broker: embedded from broker-config's central/broker.xml unless OUTPOST_BROKER_URL,
 * always with security on (service users and the enrolled terminals) and TLS on the terminal
 * acceptor.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfig {

  @Bean(destroyMethod = "close")
  EmbeddedBrokerHolder centralBroker(
      CentralProperties props,
      BrokerTls tls,
      DataSource dataSource,
      Users users,
      ProductionGuard productionGuard)
      throws Exception {
    if (!props.broker().embedded()) {
      return new EmbeddedBrokerHolder(null);
    }
    Map<String, String> service = new LinkedHashMap<>();
    service.put(props.broker().user(), props.broker().password());
    // Ops may use the broker's management with their console login.
    users.users().stream()
        .filter(u -> Users.OPS.equalsIgnoreCase(u.role()))
        .filter(u -> !u.password().startsWith("{"))
        .forEach(u -> service.putIfAbsent(u.name(), u.password()));
    OutpostSecurityManager security =
        new OutpostSecurityManager(
            service, new JdbcTerminalDirectory(dataSource), Duration.ofSeconds(2));
    String cluster = props.broker().clusterPassword();
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", props.dataDir().resolve("broker").toString());
    settings.put("brokerHost", props.broker().host());
    settings.put("brokerPort", String.valueOf(props.broker().port()));
    settings.put("inVmId", props.broker().inVmId());
    settings.put("keyStorePath", tls.keyStore().toString());
    settings.put("keyStorePassword", tls.keyStorePassword());
    settings.put(
        "clusterPassword",
        cluster == null || cluster.isBlank() ? TerminalSecrets.generate() : cluster);
    return new EmbeddedBrokerHolder(
        EmbeddedBroker.start(EmbeddedBroker.Role.CENTRAL, settings, security));
  }

  @Bean(destroyMethod = "close")
  ActiveMQConnectionFactory connectionFactory(
      CentralProperties props, EmbeddedBrokerHolder broker) {
    String url = broker.broker() != null ? "vm://" + props.broker().inVmId() : props.broker().url();
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
    cf.setUser(props.broker().user());
    cf.setPassword(props.broker().password());
    // No prefetch: a replica that dies must not hold a terminal's later messages in its buffer,
    // where they could come back to the queue ahead of its unacknowledged batch.
    cf.setConsumerWindowSize(0);
    cf.setReconnectAttempts(-1);
    cf.setRetryInterval(500);
    cf.setMaxRetryInterval(5_000);
    cf.setRetryIntervalMultiplier(2.0);
    return cf;
  }

  /** Null-safe holder: the broker is stopped after everything that uses it. */
  public record EmbeddedBrokerHolder(EmbeddedBroker broker) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (broker != null) {
        broker.close();
      }
    }
  }
}
