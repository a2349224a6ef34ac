package dev.outpost.central.ingest;

import dev.outpost.central.config.CentralProperties;
import dev.outpost.contracts.Destinations;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes operations off central's inbound queue in batches, each batch in one transacted JMS
 * session: receive up to N messages, apply them in one PostgreSQL transaction (route {@link
 * IngestBatchRoute}), then send dead letters and receipts in the same JMS transaction and commit
 * it. PostgreSQL is committed before the messages are acknowledged, so a crash in between only
 * causes a redelivery that the database's primary key turns into DUPLICATE receipts.
 *
 * <p>Why not a plain Camel JMS consumer: it acknowledges one message per exchange, which caps
 * ingest at one PostgreSQL commit (one fsync) per operation; and DLQ sends, receipts and the
 * acknowledgement need to be one broker transaction.
 *
 * <p>A database failure pauses this consumer (the batch stays unacknowledged in hand) and retries
 * with backoff until PostgreSQL is back: never the DLQ, never lost. Terminals' message groups pin
 * each terminal to one consumer, so its operations apply in sequence order.
 */
@Component
public class InboundBatchConsumer implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(InboundBatchConsumer.class);

  /** Fully qualified: the queue bound to every terminal's outpost.ops.in.&lt;terminal&gt;. */
  static final String INBOUND_FQQN = "outpost.ops.in.*::" + Destinations.OPS_IN_QUEUE;

  private final ConnectionFactory connectionFactory;
  private final ProducerTemplate camel;
  private final CentralProperties.Ingest settings;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger committedBatches = new AtomicInteger();
  private volatile boolean running;

  public InboundBatchConsumer(
      ConnectionFactory connectionFactory, ProducerTemplate camel, CentralProperties props) {
    this.connectionFactory = connectionFactory;
    this.camel = camel;
    this.settings = props.ingest();
  }

  @Override
  public void start() {
    running = true;
    for (int i = 0; i < settings.consumers(); i++) {
      Thread t = new Thread(this::work, "outpost-ingest-" + i);
      t.start();
      workers.add(t);
    }
  }

  @Override
  public void stop() {
    running = false;
    for (Thread t : workers) {
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** After the web server and Camel are up; stopped before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private void work() {
    Duration backoff = Duration.ofMillis(200);
    while (running) {
      try (Connection connection = connectionFactory.createConnection()) {
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = session.createConsumer(session.createQueue(INBOUND_FQQN));
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        connection.start();
        backoff = Duration.ofMillis(200);
        while (running) {
          List<Message> batch = receiveBatch(consumer);
          if (!batch.isEmpty()) {
            process(session, producer, batch);
          }
        }
      } catch (JMSException | RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.warn(
            "Ingest consumer lost the broker ({}); reconnecting in {} ms",
            e.toString(),
            backoff.toMillis());
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), settings.retryMaxBackoff());
      }
    }
  }

  private List<Message> receiveBatch(MessageConsumer consumer) throws JMSException {
    List<Message> batch = new ArrayList<>();
    Message first = consumer.receive(500);
    if (first == null) {
      return batch;
    }
    batch.add(first);
    Message next;
    while (batch.size() < settings.batchSize() && (next = consumer.receiveNoWait()) != null) {
      batch.add(next);
    }
    return batch;
  }

  private void process(Session session, MessageProducer producer, List<Message> batch)
      throws JMSException {
    List<InboundMessage> inbound = new ArrayList<>(batch.size());
    for (Message m : batch) {
      inbound.add(toInbound(m));
    }
    List<IngestResult> results = applyUntilDone(inbound, session);
    if (results == null) {
      return; // shutting down: the batch was rolled back and will be redelivered
    }
    int committed = committedBatches.incrementAndGet();
    if (settings.faultHaltAfterCommits() > 0 && committed >= settings.faultHaltAfterCommits()) {
      // Test-only fault injection: die between the database commit and the acknowledgement.
      LOG.error(
          "FAULT INJECTION: halting after {} committed batches, before acknowledging", committed);
      Runtime.getRuntime().halt(137);
    }
    IngestOutcomes.sendAll(session, producer, results);
    session.commit();
  }

  /**
   * Applies the batch, retrying transient (database) failures with backoff; null if stopped
   * meanwhile. When the batch loses lock races with other consumers it is applied in ever smaller
   * chunks (each its own PostgreSQL transaction, all before the one broker acknowledgement), so a
   * hot spot shared by many terminals still makes progress.
   */
  @SuppressWarnings("unchecked")
  private List<IngestResult> applyUntilDone(List<InboundMessage> inbound, Session session)
      throws JMSException {
    Duration backoff = Duration.ofMillis(200);
    List<IngestResult> results = new ArrayList<>(inbound.size());
    int chunk = inbound.size();
    while (results.size() < inbound.size()) {
      List<InboundMessage> next =
          inbound.subList(results.size(), Math.min(inbound.size(), results.size() + chunk));
      try {
        results.addAll(camel.requestBody(IngestBatchRoute.ENDPOINT, next, List.class));
        backoff = Duration.ofMillis(200);
      } catch (RuntimeException e) {
        if (!TransientFailures.isTransient(e)) {
          throw e;
        }
        if (!running) {
          session.rollback();
          return null;
        }
        if (TransientFailures.isContention(e)) {
          // Another consumer's transaction held a row this one needed; PostgreSQL rolled this one
          // back.
          chunk = Math.max(1, chunk / 2);
          LOG.info(
              "{} operations lost a lock race ({}); retrying in chunks of {}",
              next.size(),
              rootCause(e),
              chunk);
          sleep(
              Duration.ofMillis(5 + java.util.concurrent.ThreadLocalRandom.current().nextInt(50)));
          continue;
        }
        LOG.warn(
            "PostgreSQL unavailable ({}); holding {} operations and retrying in {} ms",
            rootCause(e),
            inbound.size(),
            backoff.toMillis());
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), settings.retryMaxBackoff());
      }
    }
    return results;
  }

  private static InboundMessage toInbound(Message m) throws JMSException {
    String body = m instanceof TextMessage t ? t.getText() : null;
    String address = addressOf(m);
    String user = m.getStringProperty("_AMQ_VALIDATED_USER");
    int deliveries =
        m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
    // Whatever arrives on the inbound queue came over a bridge: the source is this code path's,
    // never a header a sender could set (imports and replays feed the ingest route themselves).
    return new InboundMessage(body, address, user, deliveries, EnvelopeCheck.SOURCE_BRIDGE);
  }

  /** The address the sender used (for a bridged message: outpost.ops.in.&lt;terminal&gt;). */
  static String addressOf(Message m) throws JMSException {
    if (m.getJMSDestination() instanceof ActiveMQDestination d) {
      return d.getAddress();
    }
    return null;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
