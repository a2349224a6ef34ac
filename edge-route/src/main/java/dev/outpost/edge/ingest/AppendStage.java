package dev.outpost.edge.ingest;

import dev.outpost.edge.http.ProblemException;
import dev.outpost.edge.ledger.LedgerEntry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The serialized heart of ingest, with group commit. One thread takes every submission waiting at
 * that moment (up to {@value #MAX_GROUP}) and, in arrival order: checks each (409, 422), gives each
 * its sequence and ledger row in ONE Derby transaction (one log sync for the group), sends them to
 * their lane queues in ONE JMS transaction (one journal sync), answers them all, then marks them
 * queued (in the next group's transaction). Sequence N still reaches its queue before N+1, and a
 * 202 still means the row is in Derby and its message in the queue, both synced; under load many
 * sales share the two syncs instead of paying them one after another. Start-up repair runs on the
 * same thread, before the first submission.
 */
@Component
public class AppendStage implements SmartLifecycle {
  static final int MAX_GROUP = 256;
  private static final Logger LOG = LoggerFactory.getLogger(AppendStage.class);

  private final LedgerAppender appender;
  private final StartupRepair repair;
  private final TransactionTemplate tx;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private volatile Thread thread;
  private volatile boolean running;

  /** A submission, or a repair request, and who waits for its outcome. */
  private record Pending(Object request, CompletableFuture<Object> outcome) {}

  /** Rows confirmed in their queue at {@code at}, not yet marked so in the ledger. */
  private record Unmarked(List<LedgerEntry> entries, Instant at) {}

  /**
   * "Queued" marks wait for the next group's transaction (one Derby commit fewer per group), or for
   * a quiet moment. A crash before they are written only makes start-up repair re-send rows that
   * the broker then drops by their duplicate id. Touched by the append thread only.
   */
  private final List<Unmarked> unmarked = new ArrayList<>();

  private static final long MARK_WHEN_IDLE_MS = 20;

  /** How many submissions shared one Derby commit and one JMS transaction. */
  private final DistributionSummary groupSizes;

  /** Test-only fault injection (0: off): halt after this many groups, before sending them. */
  private final int haltAfterDerbyCommits;

  private int committedGroups;

  public AppendStage(
      LedgerAppender appender,
      StartupRepair repair,
      TransactionTemplate tx,
      MeterRegistry meters,
      @Value("${outpost.fault.halt-after-derby-commits:0}") int haltAfterDerbyCommits) {
    this.appender = appender;
    this.repair = repair;
    this.tx = tx;
    this.haltAfterDerbyCommits = haltAfterDerbyCommits;
    this.groupSizes =
        DistributionSummary.builder("outpost.edge.append.group.size")
            .description("Submissions recorded and queued together (group commit)")
            .register(meters);
  }

  /** Records a submission; returns once it is in Derby and in its lane queue, or throws. */
  public IngestResult record(Submission submission) {
    return (IngestResult) await(submit(submission));
  }

  /** Re-sends rows that never reached the queue, on the append thread; returns how many. */
  public int repairNow() {
    return (Integer) await(submit(RepairRequest.NOW));
  }

  private CompletableFuture<Object> submit(Object request) {
    if (!running) {
      throw new ProblemException(
              503,
              "starting",
              "Starting",
              "The terminal is starting or stopping; nothing was recorded. Retry in a second.")
          .retryAfter(1);
    }
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    queue.add(new Pending(request, outcome));
    return outcome;
  }

  private static Object await(CompletableFuture<Object> outcome) {
    try {
      return outcome.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new CompletionException(e.getCause());
    }
  }

  private void loop() {
    List<Pending> group = new ArrayList<>(MAX_GROUP);
    while (running || !queue.isEmpty()) {
      try {
        Pending first =
            queue.poll(unmarked.isEmpty() ? 200 : MARK_WHEN_IDLE_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          markQueuedNow();
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        process(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("Append stage failed on a group of {}", group.size(), e);
        group.forEach(p -> p.outcome().completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
    markQueuedNow();
  }

  /** Writes the waiting "queued" marks in their own transaction. */
  private void markQueuedNow() {
    if (!unmarked.isEmpty()) {
      unmarked.forEach(u -> appender.markQueued(u.entries(), u.at()));
      unmarked.clear();
    }
  }

  /** Repairs run alone, in their place; the submissions between them go as one group. */
  private void process(List<Pending> group) {
    List<Pending> submissions = new ArrayList<>();
    for (Pending p : group) {
      if (p.request() instanceof RepairRequest r) {
        recordGroup(submissions);
        submissions.clear();
        markQueuedNow(); // repair re-sends what is unmarked: only what really never went out
        try {
          p.outcome()
              .complete(r == RepairRequest.NOW ? repair.repairNow() : repair.ensureRepaired());
        } catch (RuntimeException e) {
          p.outcome().completeExceptionally(e);
        }
      } else {
        submissions.add(p);
      }
    }
    recordGroup(submissions);
  }

  private void recordGroup(List<Pending> group) {
    if (group.isEmpty()) {
      return;
    }
    try {
      repair.ensureRepaired();
    } catch (RuntimeException e) {
      group.forEach(p -> p.outcome().completeExceptionally(e));
      return;
    }
    groupSizes.record(group.size());
    // 1. Check and write every row in one transaction; outcomes are held until it commits.
    Map<Pending, Object> outcomes = new LinkedHashMap<>();
    List<IngestResult> created = new ArrayList<>();
    try {
      tx.executeWithoutResult(
          status -> {
            // The previous groups' marks commit with this group (rolled back with it, kept then);
            // under a savepoint, so a mark Derby refuses never fails the new sales.
            if (!unmarked.isEmpty()) {
              Object savepoint = status.createSavepoint();
              try {
                unmarked.forEach(u -> appender.markQueuedInTransaction(u.entries(), u.at()));
                status.releaseSavepoint(savepoint);
              } catch (RuntimeException e) {
                status.rollbackToSavepoint(savepoint);
                LOG.warn(
                    "Operations are queued but could not be marked so in the ledger ({}); repair"
                        + " re-sends them",
                    e.toString());
              }
            }
            for (Pending p : group) {
              try {
                IngestResult r = appender.record((Submission) p.request());
                outcomes.put(p, r);
                if (r.created()) {
                  created.add(r);
                }
              } catch (ProblemException refused) {
                // 409, 422: checked before anything is written for it.
                outcomes.put(p, refused);
              }
            }
          });
    } catch (RuntimeException e) {
      // Derby refused the group: rolled back, nothing of it recorded (the marks still wait).
      group.forEach(p -> p.outcome().completeExceptionally(e));
      return;
    }
    unmarked.clear();
    if (haltAfterDerbyCommits > 0
        && !created.isEmpty()
        && ++committedGroups >= haltAfterDerbyCommits) {
      // Test-only: die with the rows committed in Derby and not yet in their queues, the POS
      // unanswered. Start-up repair must send them, once.
      LOG.error(
          "FAULT INJECTION: halting after {} committed groups, before sending", committedGroups);
      Runtime.getRuntime().halt(137);
    }
    // 2. Send the new rows together; a clear refusal takes them back (503 for them).
    List<LedgerEntry> entries = created.stream().map(IngestResult::entry).toList();
    RuntimeException refusal = entries.isEmpty() ? null : appender.send(entries, () -> !running);
    Set<String> refusedIds =
        refusal == null
            ? Set.of()
            : entries.stream().map(LedgerEntry::operationId).collect(Collectors.toSet());
    // 3. Answer, in order.
    for (Map.Entry<Pending, Object> e : outcomes.entrySet()) {
      Object outcome = e.getValue();
      if (refusal != null
          && outcome instanceof IngestResult r
          && refusedIds.contains(r.entry().operationId())) {
        // A refused new row, or the same operation posted twice in this group: not recorded.
        e.getKey().outcome().completeExceptionally(refusal);
      } else if (outcome instanceof RuntimeException failure) {
        e.getKey().outcome().completeExceptionally(failure);
      } else {
        e.getKey().outcome().complete(outcome);
      }
    }
    // 4. Mark them queued: with the next group, off the latency of every sale.
    if (refusal == null && !entries.isEmpty()) {
      unmarked.add(new Unmarked(entries, Instant.now()));
    }
  }

  @Override
  public void start() {
    running = true;
    // Rows committed but never queued before a crash go out before any new operation.
    submit(RepairRequest.AT_START);
    thread = new Thread(this::loop, "ledger-append");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before Camel's routes stop (they call in), after they start. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }
}
