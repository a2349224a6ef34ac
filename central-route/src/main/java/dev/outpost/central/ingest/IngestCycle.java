package dev.outpost.central.ingest;

import dev.outpost.central.config.CentralProperties;
import dev.outpost.support.FeaturePort;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one central ingest unit, used by every source (the bridge's batch consumer, the day-file
 * importer, dead-letter replay): in the caller's transacted JMS session, apply a batch through the
 * ingest route (PostgreSQL committed per chunk, together with the caller's own rows such as import
 * progress or the replay's audit), send what the results owe the broker (dead letters, receipts),
 * then commit the session, which also acknowledges whatever the caller received in it. PostgreSQL
 * is committed before the broker, so a crash in between only redelivers operations that are then
 * duplicates.
 *
 * <p>One retry behaviour for all: a transient database failure is retried with backoff (up to
 * {@code outpost.ingest.retry-max-backoff}) for as long as the caller's {@link Patience} allows; a
 * lost lock race is retried at once in ever smaller chunks, so a hot spot shared by many terminals
 * still makes progress. When patience runs out the session is rolled back (nothing acknowledged,
 * nothing sent) and {@link GaveUp} is thrown.
 */
@FeaturePort
@Component
public class IngestCycle {
  private static final Logger LOG = LoggerFactory.getLogger(IngestCycle.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  /**
   * How long a caller waits for PostgreSQL: while {@code running} holds and, unless {@code atMost}
   * is null, for at most that long (a person waiting on an HTTP answer cannot wait for ever; the
   * bridge can, its messages stay safely on the queue).
   */
  public record Patience(BooleanSupplier running, Duration atMost) {
    public static Patience whileRunning(BooleanSupplier running) {
      return new Patience(running, null);
    }

    public static Patience atMost(Duration d) {
      return new Patience(() -> true, d);
    }
  }

  /** What the results owe the broker, sent in the cycle's session before it commits. */
  @FunctionalInterface
  public interface Outcomes {
    void send(Session session, MessageProducer producer, List<IngestResult> results)
        throws JMSException;

    /** Dead letters one by one, each terminal's receipts in one message. */
    Outcomes BATCHED = IngestOutcomes::sendAll;
  }

  /** The database stayed unavailable past the caller's patience; the session was rolled back. */
  public static final class GaveUp extends RuntimeException {
    GaveUp(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ProducerTemplate camel;
  private final CentralProperties.Ingest settings;
  private final AtomicInteger committedBatches = new AtomicInteger();

  public IngestCycle(ProducerTemplate camel, CentralProperties props) {
    this.camel = camel;
    this.settings = props.ingest();
  }

  /**
   * Runs the cycle for {@code batch} and returns one result per message, in order.
   *
   * @param alsoInTransaction the caller's own writes, run in each chunk's PostgreSQL transaction
   *     with that chunk's results (the operations and, say, the import's progress commit together)
   * @throws GaveUp when PostgreSQL stayed unavailable past {@code patience}
   */
  public List<IngestResult> run(
      Session session,
      MessageProducer producer,
      List<InboundMessage> batch,
      Patience patience,
      Consumer<List<IngestResult>> alsoInTransaction,
      Outcomes outcomes)
      throws JMSException {
    List<IngestResult> results;
    try {
      results = applyUntilDone(batch, patience, alsoInTransaction);
    } catch (RuntimeException e) {
      session.rollback();
      throw e;
    }
    int committed = committedBatches.incrementAndGet();
    if (settings.faultHaltAfterCommits() > 0 && committed >= settings.faultHaltAfterCommits()) {
      // Test-only fault injection: die between the database commit and the acknowledgement.
      LOG.error(
          "FAULT INJECTION: halting after {} committed batches, before acknowledging", committed);
      Runtime.getRuntime().halt(137);
    }
    outcomes.send(session, producer, results);
    session.commit();
    return results;
  }

  @SuppressWarnings("unchecked")
  private List<IngestResult> applyUntilDone(
      List<InboundMessage> batch,
      Patience patience,
      Consumer<List<IngestResult>> alsoInTransaction) {
    long deadline =
        patience.atMost() == null
            ? Long.MAX_VALUE
            : System.nanoTime() + patience.atMost().toNanos();
    Duration backoff = FIRST_BACKOFF;
    List<IngestResult> results = new ArrayList<>(batch.size());
    int chunk = batch.size();
    while (results.size() < batch.size()) {
      List<InboundMessage> next =
          batch.subList(results.size(), Math.min(batch.size(), results.size() + chunk));
      try {
        results.addAll(
            camel.requestBodyAndHeader(
                IngestBatchRoute.ENDPOINT,
                next,
                IngestBatchRoute.ALSO_IN_TRANSACTION,
                alsoInTransaction,
                List.class));
        backoff = FIRST_BACKOFF;
      } catch (RuntimeException e) {
        if (!TransientFailures.isTransient(e)) {
          throw e;
        }
        boolean contention = TransientFailures.isContention(e);
        Duration wait =
            contention ? Duration.ofMillis(5 + ThreadLocalRandom.current().nextInt(50)) : backoff;
        if (!patience.running().getAsBoolean()
            || Thread.currentThread().isInterrupted()
            || System.nanoTime() + wait.toNanos() > deadline) {
          throw new GaveUp(
              "PostgreSQL unavailable (" + rootCause(e) + "); " + next.size() + " not applied", e);
        }
        if (contention) {
          // Another consumer's transaction held a row this one needed; PostgreSQL rolled this one
          // back. Smaller chunks hold fewer rows at once.
          chunk = Math.max(1, chunk / 2);
          LOG.info(
              "{} operations lost a lock race ({}); retrying in chunks of {}",
              next.size(),
              rootCause(e),
              chunk);
        } else {
          LOG.warn(
              "PostgreSQL unavailable ({}); holding {} operations and retrying in {} ms",
              rootCause(e),
              batch.size() - results.size(),
              wait.toMillis());
          backoff = min(backoff.multipliedBy(2), settings.retryMaxBackoff());
        }
        sleep(wait);
      }
    }
    return results;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.toString();
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
