package dev.outpost.central.config;

import dev.outpost.broker.EmbeddedBroker;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Central's broker: embedded from broker-config's central/broker.xml unless OUTPOST_BROKER_URL. */
@Configuration(proxyBeanMethods = false)
public class BrokerConfig {

  @Bean(destroyMethod = "close")
  EmbeddedBrokerHolder centralBroker(CentralProperties props) throws Exception {
    if (!props.broker().embedded()) {
      return new EmbeddedBrokerHolder(null);
    }
    return new EmbeddedBrokerHolder(
        EmbeddedBroker.start(
            EmbeddedBroker.Role.CENTRAL,
            Map.of(
                "dataDir", props.dataDir().resolve("broker").toString(),
                "brokerHost", props.broker().host(),
                "brokerPort", String.valueOf(props.broker().port()),
                "inVmId", props.broker().inVmId())));
  }

  @Bean(destroyMethod = "close")
  ActiveMQConnectionFactory connectionFactory(CentralProperties props, EmbeddedBrokerHolder broker) {
    String url =
        broker.broker() != null
            ? "vm://" + props.broker().inVmId()
            : props.broker().url();
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
    if (props.broker().user() != null && !props.broker().user().isBlank()) {
      cf.setUser(props.broker().user());
      cf.setPassword(props.broker().password());
    }
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
