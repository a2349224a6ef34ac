package dev.outpost.centralbroker;

import dev.outpost.broker.EmbeddedBroker;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code broker} in /actuator/health and the readiness group: UP while this broker is live, OUT_OF
 * SERVICE while it waits as a backup (alive, not ready: a Service sends no client to it), DOWN when
 * it stopped.
 */
@Component
public class BrokerHealthIndicator implements HealthIndicator {
  private final EmbeddedBroker broker;

  public BrokerHealthIndicator(EmbeddedBroker broker) {
    this.broker = broker;
  }

  @Override
  public Health health() {
    ActiveMQServer server = broker.server();
    String policy =
        server.getHAPolicy() == null ? "none" : server.getHAPolicy().getClass().getSimpleName();
    if (server.isActive()) {
      return Health.up()
          .withDetail("name", server.getConfiguration().getName())
          .withDetail("haPolicy", policy)
          .withDetail("state", server.getState().toString())
          .build();
    }
    if (server.isStarted()) {
      return Health.outOfService()
          .withDetail("haPolicy", policy)
          .withDetail("state", "backup, waiting for the live broker's journal lock")
          .build();
    }
    return Health.down().withDetail("state", server.getState().toString()).build();
  }
}
