package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outpost.central.ingest.InboundMessage;
import dev.outpost.central.ingest.IngestCycle;
import dev.outpost.central.ingest.IngestResult;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.Outcome;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Imports a terminal's day file. First the file is checked as a whole ({@link
 * DayFileVerification}): a file that fails is refused with the reason and nothing is applied. Then
 * the import job sends its operations, in batches, through the same ingest route as bridged ones
 * with source=import and the terminal's own inbound address as sender (the signature vouches for
 * it), so each is validated again and idempotent: importing twice, or after the bridge delivered
 * the operations, changes nothing. Each batch is one {@link IngestCycle}: PostgreSQL commits (with
 * the progress counters) before its dead letters and receipts are sent. At the end {@link
 * CompletenessReport} compares the file with what central holds.
 */
@Service
public class DayFileImporter implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(DayFileImporter.class);
  static final String SOURCE_IMPORT = "import";

  /**
   * How long an import waits for PostgreSQL before it stops (marked failed; importing the file
   * again resumes it, its operations being idempotent): a person may be waiting on the answer.
   */
  private static final IngestCycle.Patience PATIENCE =
      IngestCycle.Patience.atMost(Duration.ofSeconds(30));

  private final ImportRepository imports;
  private final DayFileVerification verification;
  private final CompletenessReport completeness;
  private final IngestCycle cycle;
  private final ConnectionFactory connectionFactory;
  private final ImportSettings settings;

  /** One import at a time: they compete for the same PostgreSQL and keep progress readable. */
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outpost-import");
            t.setDaemon(true);
            return t;
          });

  public DayFileImporter(
      ImportRepository imports,
      DayFileVerification verification,
      CompletenessReport completeness,
      IngestCycle cycle,
      ConnectionFactory connectionFactory,
      ImportSettings settings) {
    this.imports = imports;
    this.verification = verification;
    this.completeness = completeness;
    this.cycle = cycle;
    this.connectionFactory = connectionFactory;
    this.settings = settings;
  }

  /** The file was refused as a whole; its import row says why. */
  public static final class Refused extends RuntimeException {
    private final String importId;

    Refused(String importId, String reason) {
      super(reason, null, false, false);
      this.importId = importId;
    }

    public String importId() {
      return importId;
    }
  }

  /**
   * Checks the file and imports it: in this thread when {@code wait}, else in the background
   * (follow it at GET /api/v1/imports/{id}). Throws {@link Refused} when the file is not trusted.
   */
  public ImportReport submit(
      byte[] content, String fileName, String via, String actor, boolean wait) {
    String id = UUID.randomUUID().toString();
    DayFileVerification.Verdict verdict = verification.verify(content);
    if (!verdict.trusted()) {
      throw refuse(id, via, fileName, actor, verdict.file(), verdict.refusal());
    }
    JsonNode file = verdict.file();
    imports.insert(id, via, fileName, actor, verification.facts(file), "RUNNING", null);
    if (wait) {
      run(id, file);
    } else {
      worker.submit(() -> run(id, file));
    }
    return report(id).orElseThrow();
  }

  public Optional<ImportReport> report(String id) {
    return imports.find(id);
  }

  public List<ImportReport> recent(int limit) {
    return imports.recent(Math.min(Math.max(limit, 1), 500));
  }

  @Override
  public void destroy() {
    worker.shutdownNow();
  }

  /** The import job: batches through the ingest route, then the completeness report. */
  private void run(String id, JsonNode file) {
    try {
      String terminal = file.get("terminalId").asText();
      String address = Destinations.opsIn(terminal);
      ArrayNode ops = (ArrayNode) file.get("operations");
      try (Connection c = connectionFactory.createConnection()) {
        Session session = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int start = 0; start < ops.size(); start += settings.batchSize()) {
          List<InboundMessage> batch = new ArrayList<>();
          for (int i = start; i < Math.min(ops.size(), start + settings.batchSize()); i++) {
            String body = Contracts.mapper().writeValueAsString(ops.get(i));
            batch.add(new InboundMessage(body, address, null, 1, SOURCE_IMPORT));
          }
          cycle.run(
              session,
              producer,
              batch,
              PATIENCE,
              results -> countProgress(id, results),
              IngestCycle.Outcomes.BATCHED);
        }
      }
      imports.markDone(id, Contracts.mapper().writeValueAsString(completeness.of(file)));
      LOG.info("Import {} of terminal {} done", id, terminal);
    } catch (Exception e) {
      LOG.error("Import {} failed", id, e);
      try {
        imports.markFailed(
            id,
            "stopped by "
                + e
                + "; importing the file again resumes safely (operations are idempotent)");
      } catch (RuntimeException ignored) {
        LOG.warn("Could not mark import {} failed: {}", id, ignored.toString());
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
  }

  /** The operations and the progress counters commit in one PostgreSQL transaction. */
  private void countProgress(String id, List<IngestResult> results) {
    int accepted = 0, duplicate = 0, rejected = 0;
    for (IngestResult r : results) {
      if (r.rejected()) {
        rejected++;
      } else if (r.receipt() != null && r.receipt().outcome() == Outcome.DUPLICATE) {
        duplicate++;
      } else {
        accepted++;
      }
    }
    imports.addProgress(id, results.size(), accepted, duplicate, rejected);
  }

  private Refused refuse(
      String id, String via, String fileName, String actor, JsonNode file, String reason) {
    try {
      imports.insert(id, via, fileName, actor, verification.facts(file), "REFUSED", reason);
    } catch (RuntimeException e) {
      LOG.warn("Could not record refused import {}: {}", id, e.toString());
    }
    LOG.warn("Import {} ({}) refused: {}", id, fileName, reason);
    return new Refused(id, reason);
  }
}
