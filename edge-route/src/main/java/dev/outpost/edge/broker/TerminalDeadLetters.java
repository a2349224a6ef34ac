package dev.outpost.edge.broker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.broker.EmbeddedBroker;
import dev.outpost.edge.sync.SyncStatusContributor;
import dev.outpost.support.FeaturePort;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Instant;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The terminal's own dead-letter queue ({@code outpost.terminal.DLQ} on its embedded broker): a
 * receipt or a master-data change from central that the terminal cannot read is kept here, body as
 * received with {@code source}, {@code reason} and {@code failedAt}, instead of being dropped with
 * a log line. Redelivering it would never help, so the consumer acknowledges it once it is here;
 * the sync status and the operator page show the count (alert UNREADABLE_MESSAGES).
 */
@Component
@FeaturePort
@Order(30)
public class TerminalDeadLetters implements SyncStatusContributor {
  public static final String QUEUE = "outpost.terminal.DLQ";
  public static final String ALERT = "UNREADABLE_MESSAGES";
  private static final Logger LOG = LoggerFactory.getLogger(TerminalDeadLetters.class);

  private final ConnectionFactory local;
  private final EmbeddedBroker broker;

  public TerminalDeadLetters(
      @Qualifier("localConnectionFactory") ConnectionFactory local, EmbeddedBroker broker) {
    this.local = local;
    this.broker = broker;
  }

  /** Keeps an unreadable message; throws if even that fails, so the consumer does not ack it. */
  public void put(String source, String body, String reason) {
    LOG.warn("Keeping an unreadable {} message in {}: {}", source, QUEUE, reason);
    try (Connection c = local.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(QUEUE));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      TextMessage m = s.createTextMessage(body == null ? "" : body);
      m.setStringProperty("source", source);
      m.setStringProperty("reason", truncate(reason));
      m.setStringProperty("failedAt", Instant.now().toString());
      p.send(m);
    } catch (JMSException e) {
      throw new IllegalStateException("cannot keep the unreadable message in " + QUEUE, e);
    }
  }

  public long depth() {
    Queue q = broker.server().locateQueue(SimpleString.of(QUEUE));
    return q == null ? 0 : q.getMessageCount();
  }

  /** Sync status: {@code deadLetters}, and UNREADABLE_MESSAGES while there are any. */
  @Override
  public void contribute(ObjectNode status, ArrayNode alerts, Instant now) {
    long depth = depth();
    status.put("deadLetters", depth);
    if (depth > 0) {
      alerts.add(ALERT);
    }
  }

  private static String truncate(String s) {
    return s == null ? "unreadable" : s.length() <= 500 ? s : s.substring(0, 497) + "...";
  }
}
