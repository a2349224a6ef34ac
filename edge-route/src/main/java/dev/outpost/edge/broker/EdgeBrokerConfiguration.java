package dev.outpost.edge.broker;

import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.security.EdgeProductionGuard;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The terminal's embedded Artemis and the two Camel JMS components: {@code jms} on the local broker
 * (the outbound queue) and {@code central} on central's broker (receipts).
 *
 * <p>The components depend on the broker bean, so Spring creates the broker before Camel starts and
 * closes it only after Camel has stopped.
 */
@Configuration(proxyBeanMethods = false)
public class EdgeBrokerConfiguration {

  @Bean(destroyMethod = "close")
  public EmbeddedBroker embeddedBroker(EdgeProperties props, EdgeProductionGuard productionGuard)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("dataDir", props.brokerDir().toAbsolutePath().toString());
    settings.put("terminalId", props.terminalId());
    settings.put("centralBrokerUrl", props.central().linkUrl());
    settings.put(
        "bridgeCheckPeriodMillis", String.valueOf(EdgeProperties.Central.LINK_CHECK_PERIOD_MS));
    settings.put("bridgeConnectionTtlMillis", String.valueOf(EdgeProperties.Central.LINK_TTL_MS));
    settings.put("inVmId", props.broker().inVmId());
    putIfSet(settings, "centralUser", props.central().user());
    putIfSet(settings, "centralPassword", props.central().password());
    return EmbeddedBroker.start(EmbeddedBroker.Role.EDGE, settings);
  }

  @Bean
  public OutboundMonitor outboundMonitor(EmbeddedBroker embeddedBroker) {
    return new OutboundMonitor(embeddedBroker);
  }

  /** Local broker, in-VM: persistent sends block until the journal has synced them. */
  @Bean(destroyMethod = "destroy")
  public CachingConnectionFactory localConnectionFactory(
      EmbeddedBroker embeddedBroker, EdgeProperties props) {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("vm://" + props.broker().inVmId());
    cf.setBlockOnDurableSend(true);
    // A send that gets no answer fails instead of holding the ingest sequence forever.
    cf.setCallTimeout(10_000);
    CachingConnectionFactory caching = new CachingConnectionFactory(cf);
    caching.setSessionCacheSize(4);
    caching.setReconnectOnException(true);
    return caching;
  }

  @Bean("jms")
  public JmsComponent jms(CachingConnectionFactory localConnectionFactory) {
    return JmsComponent.jmsComponent(localConnectionFactory);
  }

  /**
   * Central's broker, used only to consume this terminal's receipts. No client-side reconnect: the
   * listener container re-creates the connection every recovery interval, so central being away at
   * start-up or later never stops this app.
   */
  @Bean("central")
  public JmsComponent central(EmbeddedBroker embeddedBroker, EdgeProperties props) {
    ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(props.central().linkUrl());
    if (props.central().user() != null && !props.central().user().isBlank()) {
      cf.setUser(props.central().user());
      cf.setPassword(props.central().password());
    }
    JmsComponent component = JmsComponent.jmsComponent(cf);
    component.setRecoveryInterval(props.central().recoveryIntervalMs());
    return component;
  }

  private static void putIfSet(Map<String, String> settings, String key, String value) {
    if (value != null && !value.isBlank()) {
      settings.put(key, value);
    }
  }
}
