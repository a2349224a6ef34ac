package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.ingest.IngestOutcomes;
import dev.outpost.central.ingest.InboundMessage;
import dev.outpost.central.ingest.IngestBatchRoute;
import dev.outpost.central.ingest.IngestResult;
import dev.outpost.central.ingest.TransientFailures;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.Outcome;
import dev.outpost.contracts.Violation;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.math.BigDecimal;
import java.security.PublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a terminal's day file. First the file is checked as a whole (structure, the terminal's
 * registered key, checksum, signature): a file that fails is refused with the reason and nothing
 * is applied. Then its operations go, in batches, through the same ingest route as bridged ones
 * with source=import and the terminal's own inbound address as sender (the signature vouches for
 * it), so each is validated again and idempotent: importing twice, or after the bridge delivered
 * the operations, changes nothing. Each batch commits PostgreSQL (with the progress counters)
 * before its dead letters and receipts are sent. At the end the file's per-type counts and sums
 * are compared with what central holds for that terminal and those days.
 */
@Service
public class DayFileImporter implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(DayFileImporter.class);
  static final String SOURCE_IMPORT = "import";
  static final int MAX_LISTED_IDS = 1000;

  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final ProducerTemplate camel;
  private final ConnectionFactory connectionFactory;
  private final TerminalKeyRepository keys;
  private final ImportSettings settings;
  private final OperationValidator validator = new OperationValidator();
  /** One import at a time: they compete for the same PostgreSQL and keep progress readable. */
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "outpost-import");
            t.setDaemon(true);
            return t;
          });

  public DayFileImporter(
      NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ProducerTemplate camel,
      ConnectionFactory connectionFactory, TerminalKeyRepository keys, ImportSettings settings) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.camel = camel;
    this.connectionFactory = connectionFactory;
    this.keys = keys;
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
  public ImportReport submit(byte[] content, String fileName, String via, String actor, boolean wait) {
    String id = UUID.randomUUID().toString();
    JsonNode file;
    try {
      file = Contracts.mapper().readTree(content);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw refuse(id, via, fileName, actor, null, "not a JSON document: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw refuse(id, via, fileName, actor, null, "unreadable: " + e.getMessage());
    }
    if (file == null || !file.isObject()) {
      throw refuse(id, via, fileName, actor, null, "not a day file (expected a JSON object)");
    }
    List<Violation> structure = validator.validateDayFile(file);
    if (!structure.isEmpty()) {
      throw refuse(id, via, fileName, actor, file, "not a valid day file: " + describe(structure));
    }
    String terminal = file.get("terminalId").asText();
    Optional<PublicKey> key = keys.publicKey(terminal);
    if (key.isEmpty()) {
      throw refuse(id, via, fileName, actor, file,
          "no key registered for terminal " + terminal + " (register it: PUT /api/v1/terminals/" + terminal + "/key)");
    }
    List<String> problems = DayFiles.problems(file, key.get());
    if (!problems.isEmpty()) {
      throw refuse(id, via, fileName, actor, file, String.join("; ", problems));
    }
    insertRow(id, via, fileName, actor, file, "RUNNING", null);
    if (wait) {
      run(id, file);
    } else {
      worker.submit(() -> run(id, file));
    }
    return report(id).orElseThrow();
  }

  public Optional<ImportReport> report(String id) {
    List<ImportReport> rows =
        jdbc.query("select * from imports where id = cast(:id as uuid)", Map.of("id", UUID.fromString(id).toString()), this::row);
    return rows.stream().findFirst();
  }

  public List<ImportReport> recent(int limit) {
    return jdbc.query(
        "select * from imports order by received_at desc limit :limit", Map.of("limit", Math.min(Math.max(limit, 1), 500)), this::row);
  }

  @Override
  public void destroy() {
    worker.shutdownNow();
  }

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
            batch.add(new InboundMessage(Contracts.mapper().writeValueAsString(ops.get(i)), address, null, 1, SOURCE_IMPORT));
          }
          List<IngestResult> results = applyWithRetry(id, batch);
          for (IngestResult r : results) {
            IngestOutcomes.send(session, producer, r, null, 0);
          }
          session.commit();
        }
      }
      ObjectNode completeness = completeness(file);
      jdbc.update(
          "update imports set status = 'DONE', finished_at = now(), completeness = cast(:c as jsonb) where id = cast(:id as uuid)",
          new MapSqlParameterSource().addValue("id", id).addValue("c", Contracts.mapper().writeValueAsString(completeness)));
      LOG.info("Import {} of terminal {} done", id, terminal);
    } catch (Exception e) {
      LOG.error("Import {} failed", id, e);
      try {
        jdbc.update(
            "update imports set status = 'FAILED', finished_at = now(), refused_reason = :why where id = cast(:id as uuid)",
            Map.of("id", id, "why", "stopped by " + e + "; importing the file again resumes safely (operations are idempotent)"));
      } catch (RuntimeException ignored) {
        LOG.warn("Could not mark import {} failed: {}", id, ignored.toString());
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
  }

  /** One PostgreSQL transaction per batch: the operations and the progress counters together. */
  @SuppressWarnings("unchecked")
  private List<IngestResult> applyWithRetry(String id, List<InboundMessage> batch) throws InterruptedException {
    long backoff = 200;
    for (int attempt = 1; ; attempt++) {
      try {
        return tx.execute(
            st -> {
              List<IngestResult> results = camel.requestBody(IngestBatchRoute.ENDPOINT, batch, List.class);
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
              jdbc.update(
                  "update imports set processed = processed + :n, accepted = accepted + :a,"
                      + " duplicate = duplicate + :d, rejected = rejected + :r where id = cast(:id as uuid)",
                  new MapSqlParameterSource()
                      .addValue("id", id).addValue("n", results.size()).addValue("a", accepted)
                      .addValue("d", duplicate).addValue("r", rejected));
              return results;
            });
      } catch (RuntimeException e) {
        if (!TransientFailures.isTransient(e) || attempt >= 10) {
          throw e;
        }
        LOG.warn("Import {}: PostgreSQL unavailable ({}); retrying in {} ms", id, e.toString(), backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /**
   * The file's per-type counts and sale sums against central's rows of that terminal whose
   * occurredAt falls on the file's days, and the operation ids missing on either side.
   */
  ObjectNode completeness(JsonNode file) {
    String terminal = file.get("terminalId").asText();
    ZoneId zone = ZoneId.of(file.get("zone").asText());
    Instant start = LocalDate.parse(file.get("from").asText()).atStartOfDay(zone).toInstant();
    Instant end = LocalDate.parse(file.get("to").asText()).plusDays(1).atStartOfDay(zone).toInstant();
    MapSqlParameterSource p =
        new MapSqlParameterSource()
            .addValue("t", terminal)
            .addValue("start", OffsetDateTime.ofInstant(start, ZoneOffset.UTC))
            .addValue("end", OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
    Map<String, long[]> centralCounts = new TreeMap<>();
    Map<String, BigDecimal> centralTotals = new TreeMap<>();
    jdbc.query(
        "select type, count(*) as n, sum(case when jsonb_typeof(payload -> 'total') = 'number'"
            + " then (payload ->> 'total')::numeric end) as total from operations"
            + " where terminal_id = :t and occurred_at >= :start and occurred_at < :end group by type",
        p,
        rs -> {
          centralCounts.put(rs.getString("type"), new long[] {rs.getLong("n")});
          if (rs.getBigDecimal("total") != null) {
            centralTotals.put(rs.getString("type"), rs.getBigDecimal("total"));
          }
        });
    Set<String> centralIds =
        new HashSet<>(
            jdbc.queryForList(
                "select operation_id::text from operations"
                    + " where terminal_id = :t and occurred_at >= :start and occurred_at < :end",
                p,
                String.class));
    Set<String> fileIds = new LinkedHashSet<>();
    file.get("operations").forEach(op -> fileIds.add(op.path("operationId").asText().toLowerCase()));

    ObjectNode out = Contracts.mapper().createObjectNode();
    out.put("terminalId", terminal);
    out.put("from", file.get("from").asText());
    out.put("to", file.get("to").asText());
    out.put("zone", zone.getId());
    ObjectNode byType = out.putObject("byType");
    JsonNode fileByType = file.path("summary").path("byType");
    Set<String> types = new java.util.TreeSet<>(centralCounts.keySet());
    fileByType.fieldNames().forEachRemaining(types::add);
    boolean matches = true;
    for (String type : types) {
      JsonNode f = fileByType.path(type);
      long fileCount = f.path("count").asLong(0);
      BigDecimal fileTotal = f.path("total").isNumber() ? f.path("total").decimalValue() : null;
      long centralCount = centralCounts.getOrDefault(type, new long[] {0})[0];
      BigDecimal centralTotal = centralTotals.get(type);
      boolean same = fileCount == centralCount && sameAmount(fileTotal, centralTotal);
      matches &= same;
      ObjectNode t = byType.putObject(type);
      ObjectNode fo = t.putObject("file").put("count", fileCount);
      if (fileTotal != null) {
        fo.put("total", fileTotal);
      }
      ObjectNode co = t.putObject("central").put("count", centralCount);
      if (centralTotal != null) {
        co.put("total", centralTotal);
      }
      t.put("matches", same);
    }
    List<String> missingAtCentral = fileIds.stream().filter(i -> !centralIds.contains(i)).toList();
    List<String> missingInFile = centralIds.stream().filter(i -> !fileIds.contains(i)).sorted().toList();
    out.put("missingAtCentralCount", missingAtCentral.size());
    ArrayNode a = out.putArray("missingAtCentral");
    missingAtCentral.stream().limit(MAX_LISTED_IDS).forEach(a::add);
    out.put("missingInFileCount", missingInFile.size());
    ArrayNode b = out.putArray("missingInFile");
    missingInFile.stream().limit(MAX_LISTED_IDS).forEach(b::add);
    out.put("complete", matches && missingAtCentral.isEmpty() && missingInFile.isEmpty());
    return out;
  }

  private static boolean sameAmount(BigDecimal a, BigDecimal b) {
    BigDecimal x = a == null ? BigDecimal.ZERO : a;
    BigDecimal y = b == null ? BigDecimal.ZERO : b;
    return x.compareTo(y) == 0;
  }

  private Refused refuse(String id, String via, String fileName, String actor, JsonNode file, String reason) {
    try {
      insertRow(id, via, fileName, actor, file, "REFUSED", reason);
    } catch (RuntimeException e) {
      LOG.warn("Could not record refused import {}: {}", id, e.toString());
    }
    LOG.warn("Import {} ({}) refused: {}", id, fileName, reason);
    return new Refused(id, reason);
  }

  private void insertRow(String id, String via, String fileName, String actor, JsonNode file, String status, String reason) {
    boolean structured = file != null && validator.validateDayFile(file).isEmpty();
    jdbc.update(
        "insert into imports (id, actor, via, file_name, status, refused_reason, terminal_id, from_day,"
            + " to_day, zone, checksum, total, finished_at) values (cast(:id as uuid), :actor, :via, :name,"
            + " :status, :reason, :terminal, cast(:from as date), cast(:to as date), :zone, :checksum, :total,"
            + " case when :status = 'REFUSED' then now() end)",
        new MapSqlParameterSource()
            .addValue("id", id)
            .addValue("actor", actor)
            .addValue("via", via)
            .addValue("name", fileName)
            .addValue("status", status)
            .addValue("reason", reason)
            .addValue("terminal", structured ? file.get("terminalId").asText() : null)
            .addValue("from", structured ? file.get("from").asText() : null)
            .addValue("to", structured ? file.get("to").asText() : null)
            .addValue("zone", structured ? file.get("zone").asText() : null)
            .addValue("checksum", structured ? file.get("checksum").path("value").asText() : null)
            .addValue("total", structured ? file.get("operations").size() : 0));
  }

  private static String describe(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    for (Violation v : violations.subList(0, Math.min(5, violations.size()))) {
      sb.append(sb.length() == 0 ? "" : "; ").append(v.pointer()).append(' ').append(v.message());
    }
    return sb.toString();
  }

  private ImportReport row(ResultSet rs, int i) throws SQLException {
    JsonNode completeness = null;
    String c = rs.getString("completeness");
    if (c != null) {
      try {
        completeness = Contracts.mapper().readTree(c);
      } catch (IOException e) {
        completeness = null;
      }
    }
    return new ImportReport(
        rs.getString("id"), rs.getString("status"), rs.getString("via"), rs.getString("file_name"),
        rs.getString("actor"), rs.getString("terminal_id"), rs.getString("from_day"), rs.getString("to_day"),
        rs.getString("zone"), rs.getString("checksum"), rs.getInt("total"), rs.getInt("processed"),
        rs.getInt("accepted"), rs.getInt("duplicate"), rs.getInt("rejected"), rs.getString("refused_reason"),
        text(rs, "received_at"), text(rs, "finished_at"), completeness);
  }

  private static String text(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant().toString();
  }
}
