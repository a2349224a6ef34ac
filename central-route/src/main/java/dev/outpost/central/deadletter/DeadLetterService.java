package dev.outpost.central.deadletter;

import dev.outpost.central.ingest.InboundMessage;
import dev.outpost.central.ingest.IngestCycle;
import dev.outpost.central.ingest.IngestOutcomes;
import dev.outpost.central.ingest.IngestResult;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.RejectReason;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dead-letter operations on outpost.ops.DLQ, shared by REST, CLI (through REST) and JMX.
 *
 * <p>Listing browses the queue with a JMS selector built from validated filter values (no index
 * table: the queue is the one truth, and it stays small because every entry is a case for a
 * person). Replay and discard take the message off the queue by its JMSMessageID in a transacted
 * session, then write PostgreSQL (the ingest with source=replay, and the audit row) in one
 * transaction ({@link IngestCycle}, as every source), and only then commit the JMS session, which
 * also sends the new dead letter and the receipt. A failure before the PostgreSQL commit leaves the
 * message in the DLQ untouched; a crash between the two commits leaves it there too, and replaying
 * it again is a DUPLICATE (the ingest is idempotent): nothing is lost, nothing applied twice.
 */
@Service
public class DeadLetterService {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterService.class);
  static final String SOURCE_REPLAY = "replay";
  static final long RECEIVE_TIMEOUT_MS = 2_000;

  /** A replay is a person waiting on an answer: a few seconds for PostgreSQL, then 503. */
  private static final IngestCycle.Patience PATIENCE =
      IngestCycle.Patience.atMost(Duration.ofSeconds(10));

  private final ConnectionFactory connectionFactory;
  private final IngestCycle cycle;
  private final TransactionTemplate tx;
  private final DeadLetterAuditRepository audit;

  public DeadLetterService(
      ConnectionFactory connectionFactory,
      IngestCycle cycle,
      TransactionTemplate tx,
      DeadLetterAuditRepository audit) {
    this.connectionFactory = connectionFactory;
    this.cycle = cycle;
    this.tx = tx;
    this.audit = audit;
  }

  public record Page(long total, int offset, int limit, List<DeadLetter> items) {}

  /** What one action did. {@code newId} is the id of the new dead letter when it failed again. */
  public record Outcome(
      String id, String operationId, String outcome, String reason, String detail, String newId) {}

  public static final class NotFound extends RuntimeException {
    NotFound(String id) {
      super("no dead letter " + id + " (already replayed or discarded?)");
    }
  }

  public Page list(DeadLetterFilter filter, int offset, int limit) {
    int from = Math.max(0, offset);
    int size = Math.min(Math.max(1, limit), 500);
    List<DeadLetter> items = new ArrayList<>();
    long total = 0;
    try (Connection c = connectionFactory.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      c.start();
      try (QueueBrowser b =
          s.createBrowser(s.createQueue(Destinations.OPS_DLQ), filter.selector())) {
        Enumeration<?> e = b.getEnumeration();
        while (e.hasMoreElements()) {
          Message m = (Message) e.nextElement();
          if (total >= from && items.size() < size) {
            items.add(DeadLetter.of(m, false));
          }
          total++;
        }
      }
    } catch (JMSException e) {
      throw new IllegalStateException(
          "cannot browse " + Destinations.OPS_DLQ + ": " + e.getMessage(), e);
    }
    return new Page(total, from, size, items);
  }

  public Optional<DeadLetter> get(String id) {
    String selector = DeadLetterFilter.byMessageId(id);
    try (Connection c = connectionFactory.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      c.start();
      try (QueueBrowser b = s.createBrowser(s.createQueue(Destinations.OPS_DLQ), selector)) {
        Enumeration<?> e = b.getEnumeration();
        return e.hasMoreElements()
            ? Optional.of(DeadLetter.of((Message) e.nextElement(), true))
            : Optional.empty();
      }
    } catch (JMSException e) {
      throw new IllegalStateException(
          "cannot browse " + Destinations.OPS_DLQ + ": " + e.getMessage(), e);
    }
  }

  /** Ids of every dead letter the filter selects (for "replay all of a reason"). */
  public List<String> ids(DeadLetterFilter filter) {
    List<String> ids = new ArrayList<>();
    for (int offset = 0; ; offset += 500) {
      Page p = list(filter, offset, 500);
      p.items().forEach(d -> ids.add(d.id()));
      if (offset + 500 >= p.total()) {
        return ids;
      }
    }
  }

  /**
   * Feeds the dead letter (or {@code editedBody} instead of its body) through the ingest route with
   * source=replay. Accepted or duplicate: it leaves the DLQ. Rejected again: it goes back to the
   * DLQ under a new id with the new reason (no automatic retry, so no loop).
   */
  public Outcome replay(String id, String editedBody, String actor) {
    String messageId = DeadLetterFilter.requireMessageId(id);
    Outcome outcome =
        takeById(
            id,
            messageId,
            "replay",
            (s, m) -> {
              DeadLetter before = DeadLetter.of(m, true);
              String body = editedBody != null ? editedBody : before.body();
              // The original address keeps the sender check: an edited body must still name the
              // terminal that sent it. (Broker dead letters carry it as _AMQ_ORIG_ADDRESS.)
              InboundMessage in =
                  new InboundMessage(
                      body,
                      before.originalAddress(),
                      null,
                      before.deliveryCount() == null ? 1 : before.deliveryCount(),
                      SOURCE_REPLAY);
              MessageProducer producer = s.createProducer(null);
              producer.setDeliveryMode(DeliveryMode.PERSISTENT);
              int replays = before.replayCount() == null ? 0 : before.replayCount();
              String[] newId = new String[1];
              // The audit row commits with the operation; the cycle then sends the receipt (or
              // the new dead letter) and commits the session, which takes this one off the DLQ.
              IngestResult r =
                  cycle
                      .run(
                          s,
                          producer,
                          List.of(in),
                          PATIENCE,
                          results ->
                              audit.record(
                                  auditEntry(actor, messageId, before, editedBody, results.get(0))),
                          (session, p, results) ->
                              newId[0] =
                                  IngestOutcomes.send(
                                      session,
                                      p,
                                      results.get(0),
                                      before.firstFailedAt(),
                                      replays + 1))
                      .get(0);
              return new Outcome(
                  id(messageId),
                  r.operationId(),
                  outcomeOf(r),
                  r.rejected() ? r.reason().name() : null,
                  r.detail(),
                  newId[0]);
            });
    LOG.info("Dead letter {} replayed by {}: {}", messageId, actor, outcome.outcome());
    return outcome;
  }

  /** Removes a dead letter for good, with the person's written reason. */
  public Outcome discard(String id, String why, String actor) {
    if (why == null || why.isBlank()) {
      throw new IllegalArgumentException("a discard needs a written reason");
    }
    String messageId = DeadLetterFilter.requireMessageId(id);
    Outcome outcome =
        takeById(
            id,
            messageId,
            "discard",
            (s, m) -> {
              DeadLetter before = DeadLetter.of(m, false);
              tx.executeWithoutResult(
                  st ->
                      audit.record(
                          new DeadLetterAuditRepository.Entry(
                              actor,
                              "DISCARD",
                              messageId,
                              before.operationId(),
                              before.terminalId(),
                              "DISCARDED",
                              before.reason(),
                              null,
                              why.strip(),
                              null)));
              s.commit();
              return new Outcome(
                  id(messageId),
                  before.operationId(),
                  "DISCARDED",
                  before.reason(),
                  why.strip(),
                  null);
            });
    LOG.info("Dead letter {} discarded by {}: {}", messageId, actor, why.strip());
    return outcome;
  }

  /**
   * What replay or discard does with the dead letter it took off the queue: write PostgreSQL, then
   * send on the session and commit it (which removes the dead letter).
   */
  private interface TakenAction {
    Outcome apply(Session session, Message message) throws JMSException;
  }

  /**
   * Receives the dead letter {@code messageId} in a transacted session and runs {@code action},
   * which commits the session when done: on a failure the session rolls back and the message stays.
   */
  private Outcome takeById(String id, String messageId, String what, TakenAction action) {
    try (Connection c = connectionFactory.createConnection()) {
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      c.start();
      try (MessageConsumer consumer =
          s.createConsumer(
              s.createQueue(Destinations.OPS_DLQ), DeadLetterFilter.byMessageId(messageId))) {
        Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
        if (m == null) {
          s.rollback();
          throw new NotFound(id);
        }
        try {
          return action.apply(s, m);
        } catch (RuntimeException e) {
          s.rollback();
          throw e;
        }
      }
    } catch (JMSException e) {
      throw new IllegalStateException(
          "broker failure during " + what + " of " + messageId + ": " + e.getMessage(), e);
    }
  }

  /** Replays each id on its own (one failure does not stop the rest). */
  public List<Outcome> replayAll(List<String> ids, String actor) {
    List<Outcome> out = new ArrayList<>();
    for (String id : ids) {
      try {
        out.add(replay(id, null, actor));
      } catch (NotFound e) {
        out.add(new Outcome(id, null, "NOT_FOUND", null, e.getMessage(), null));
      } catch (IllegalArgumentException e) {
        out.add(new Outcome(id, null, "INVALID", null, e.getMessage(), null));
      }
    }
    return out;
  }

  public List<Outcome> replayReason(RejectReason reason, String actor) {
    if (reason == null) {
      throw new IllegalArgumentException("give the reason whose dead letters to replay");
    }
    return replayAll(ids(new DeadLetterFilter(reason, null, null, null, null)), actor);
  }

  private static DeadLetterAuditRepository.Entry auditEntry(
      String actor, String messageId, DeadLetter before, String editedBody, IngestResult result) {
    return new DeadLetterAuditRepository.Entry(
        actor,
        editedBody != null ? "EDIT_REPLAY" : "REPLAY",
        messageId,
        result.operationId() != null ? result.operationId() : before.operationId(),
        result.terminalId() != null ? result.terminalId() : before.terminalId(),
        outcomeOf(result),
        before.reason(),
        result.rejected() ? result.reason().name() : null,
        result.detail(),
        editedBody);
  }

  private static String outcomeOf(IngestResult r) {
    return r.rejected()
        ? "REJECTED"
        : r.receipt() != null ? r.receipt().outcome().name() : "ACCEPTED";
  }

  private static String id(String messageId) {
    return messageId.replaceFirst("^ID:", "");
  }
}
