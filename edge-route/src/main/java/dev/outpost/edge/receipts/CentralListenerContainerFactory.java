package dev.outpost.edge.receipts;

import dev.outpost.edge.config.EdgeProperties;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.support.JmsUtils;
import org.springframework.stereotype.Component;

/**
 * Listener containers for consumers on central's broker. A terminal is offline for hours or days by
 * design: Spring's container would log an ERROR on every reconnect attempt; this one logs one WARN
 * when central goes away, one INFO when it is back, and backs off exponentially from the configured
 * recovery interval up to a minute in between.
 */
@Component("centralListenerContainerFactory")
public class CentralListenerContainerFactory implements MessageListenerContainerFactory {
  static final long MAX_BACKOFF_MS = 60_000;

  private final long initialBackoffMs;

  public CentralListenerContainerFactory(EdgeProperties props) {
    this.initialBackoffMs = Math.max(100, props.central().recoveryIntervalMs());
  }

  @Override
  public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
    return new QuietRecovery(endpoint, initialBackoffMs);
  }

  static final class QuietRecovery extends DefaultJmsMessageListenerContainer {
    private static final Logger LOG =
        LoggerFactory.getLogger(CentralListenerContainerFactory.class);
    private final long initialBackoffMs;

    QuietRecovery(JmsEndpoint endpoint, long initialBackoffMs) {
      super(endpoint);
      this.initialBackoffMs = initialBackoffMs;
    }

    @Override
    protected void refreshConnectionUntilSuccessful() {
      long backoff = initialBackoffMs;
      int attempts = 0;
      while (isRunning()) {
        try {
          if (sharedConnectionEnabled()) {
            refreshSharedConnection();
          } else {
            Connection con = createConnection();
            JmsUtils.closeConnection(con);
          }
          if (attempts > 0) {
            LOG.info(
                "Central broker reachable again for {} after {} attempt(s)",
                getDestinationDescription(),
                attempts);
          }
          return;
        } catch (Exception ex) {
          if (ex instanceof JMSException jms) {
            invokeExceptionListener(jms);
          }
          attempts++;
          if (attempts == 1) {
            LOG.warn(
                "Central broker not reachable for {} ({}); retrying quietly with back-off up to {} s",
                getDestinationDescription(),
                ex.getMessage(),
                MAX_BACKOFF_MS / 1000);
          } else {
            LOG.debug(
                "Central broker still not reachable (attempt {}): {}", attempts, ex.toString());
          }
        }
        if (!pause(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }

    /** Waits in short steps so a stopping app is not held up; false if it is stopping. */
    private boolean pause(long millis) {
      long until = System.currentTimeMillis() + millis;
      try {
        while (isRunning() && System.currentTimeMillis() < until) {
          Thread.sleep(Math.min(200, Math.max(1, until - System.currentTimeMillis())));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return isRunning();
    }
  }
}
