package dev.outpost.central.ingest;

import dev.outpost.central.config.CentralProperties;
import dev.outpost.contracts.Destinations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes operations off central's inbound queue in batches, each batch in one transacted JMS
 * session: receive up to N messages and hand them to {@link IngestCycle}, which applies them in
 * PostgreSQL, sends dead letters and receipts in the same JMS transaction and commits it.
 * PostgreSQL is committed before the messages are acknowledged, so a crash in between only causes a
 * redelivery that the database's primary key turns into DUPLICATE receipts.
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
  private final IngestCycle cycle;
  private final LaneOrder laneOrder;
  private final CentralProperties.Ingest settings;

  /** Batches given back for a missing lane predecessor, and operations applied without one. */
  private final Counter laneHolds;

  private final Counter laneBreaks;

  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;

  public InboundBatchConsumer(
      ConnectionFactory connectionFactory,
      IngestCycle cycle,
      LaneOrder laneOrder,
      CentralProperties props,
      MeterRegistry meters) {
    this.connectionFactory = connectionFactory;
    this.cycle = cycle;
    this.laneOrder = laneOrder;
    this.settings = props.ingest();
    this.laneHolds =
        Counter.builder("outpost.central.ingest.lane.holds")
            .description("batches given back because an operation's lane predecessor was not done")
            .register(meters);
    this.laneBreaks =
        Counter.builder("outpost.central.ingest.lane.breaks")
            .description("operations applied without their lane predecessor, which never came")
            .register(meters);
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
        IngestCycle.sleep(backoff);
        backoff = IngestCycle.min(backoff.multipliedBy(2), settings.retryMaxBackoff());
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
    inbound = LaneOrder.inLaneOrder(inbound);
    InboundMessage early = firstOutOfOrder(inbound);
    if (early != null) {
      if (early.deliveryCount() < settings.laneHoldDeliveries()) {
        // Its predecessor is on its way back to the queue (see LaneOrder): give the batch back,
        // unapplied, and take it again in a moment, when the queue hands out the predecessor first.
        session.rollback();
        laneHolds.increment();
        LOG.info(
            "Holding {} at sequence {}: its lane predecessor {} is not applied yet (delivery {})",
            early.lane().group(),
            early.lane().sequence(),
            early.lane().previous(),
            early.deliveryCount());
        IngestCycle.sleep(Duration.ofMillis(Math.min(1_000, 100L * early.deliveryCount())));
        return;
      }
      laneBreaks.increment();
      LOG.error(
          "Applying {} sequence {} without its lane predecessor {}, which never arrived after {}"
              + " deliveries: per-lane order is broken here (is it in the DLQ, or was the lane"
              + " remapped?)",
          early.lane().group(),
          early.lane().sequence(),
          early.lane().previous(),
          early.deliveryCount());
    }
    // Waits for PostgreSQL for as long as it takes: the messages stay unacknowledged meanwhile.
    cycle.run(
        session,
        producer,
        inbound,
        IngestCycle.Patience.whileRunning(() -> running),
        null,
        IngestCycle.Outcomes.BATCHED);
  }

  /**
   * The lane check reads PostgreSQL: while it is away the batch is held unacknowledged, as the
   * cycle holds it (a rollback per attempt would count deliveries towards the broker's DLQ).
   */
  private InboundMessage firstOutOfOrder(List<InboundMessage> batch) {
    Duration wait = Duration.ofMillis(200);
    while (true) {
      try {
        return laneOrder.firstOutOfOrder(batch);
      } catch (RuntimeException e) {
        if (!running || !TransientFailures.isTransient(e)) {
          throw e;
        }
        LOG.warn(
            "PostgreSQL unavailable for the lane check ({}); holding {} operations and retrying"
                + " in {} ms",
            e.toString(),
            batch.size(),
            wait.toMillis());
        IngestCycle.sleep(wait);
        wait = IngestCycle.min(wait.multipliedBy(2), settings.retryMaxBackoff());
      }
    }
  }

  private static InboundMessage toInbound(Message m) throws JMSException {
    String body;
    String notText = null;
    if (m instanceof TextMessage t) {
      body = t.getText();
    } else if (m instanceof BytesMessage b) {
      // Operations travel as text. Another body is refused, but its bytes are kept in the dead
      // letter (as UTF-8, each bad sequence as U+FFFD) and its id, if readable, gets the terminal
      // a REJECTED receipt: taking it as no body at all lost its content silently.
      byte[] bytes = new byte[(int) b.getBodyLength()];
      b.readBytes(bytes);
      body = new String(bytes, StandardCharsets.UTF_8);
      int bad = firstMalformedUtf8(bytes);
      notText =
          "a BytesMessage: operations travel as text messages"
              + (bad < 0 ? "" : "; not valid UTF-8 at byte " + bad + " (kept as U+FFFD)");
    } else {
      body = null;
      notText = "a " + m.getClass().getSimpleName() + ": operations travel as text messages";
    }
    String address = addressOf(m);
    String user = m.getStringProperty("_AMQ_VALIDATED_USER");
    int deliveries =
        m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
    // Whatever arrives on the inbound queue came over a bridge: the source is this code path's,
    // never a header a sender could set (imports and replays feed the ingest route themselves).
    return new InboundMessage(
        body, address, user, deliveries, EnvelopeCheck.SOURCE_BRIDGE, notText, laneOf(m));
  }

  /** The terminal's lane headers, or null when they are missing or unreadable (no order check). */
  static InboundMessage.LanePosition laneOf(Message m) throws JMSException {
    String group = m.getStringProperty("JMSXGroupID");
    String sequence = m.getStringProperty(Destinations.HDR_SEQUENCE);
    if (group == null || sequence == null) {
      return null;
    }
    String previous = m.getStringProperty(Destinations.HDR_LANE_PREVIOUS);
    try {
      long seq = Long.parseLong(sequence);
      long prev = previous == null ? 0 : Long.parseLong(previous);
      return seq > 0 && prev >= 0 && prev < seq
          ? new InboundMessage.LanePosition(group, seq, prev)
          : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The offset of the first byte that is not valid UTF-8, or -1 when all of them are. */
  static int firstMalformedUtf8(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CoderResult r =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(in, CharBuffer.allocate(bytes.length), true);
    return r.isError() ? in.position() : -1;
  }

  /** The address the sender used (for a bridged message: outpost.ops.in.&lt;terminal&gt;). */
  static String addressOf(Message m) throws JMSException {
    if (m.getJMSDestination() instanceof ActiveMQDestination d) {
      return d.getAddress();
    }
    return null;
  }
}
