package dev.outpost.edge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.edge.config.EdgeProperties;
import dev.outpost.edge.ledger.LedgerEntry;
import dev.outpost.edge.ledger.LedgerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Builds a day file (schema {@code day-file.v1.json}) from the local ledger only, so it works with
 * the network down: every operation whose occurredAt falls on the days from..to in the given zone,
 * in sequence order, each the exact envelope sent to central, with per-type counts and sale totals,
 * sealed with the terminal's checksum and signature.
 */
@Component
public class DayExporter {
  /** A range longer than this is refused: a USB file of a whole season helps nobody. */
  static final long MAX_DAYS = 31;

  private final EdgeProperties props;
  private final LedgerStore store;
  private final TerminalKeys keys;

  public DayExporter(EdgeProperties props, LedgerStore store, TerminalKeys keys) {
    this.props = props;
    this.store = store;
    this.keys = keys;
  }

  public ObjectNode export(LocalDate from, LocalDate to, ZoneId zone) {
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    List<LedgerEntry> entries = store.occurredBetween(start, end);

    ObjectNode file = Contracts.mapper().createObjectNode();
    file.put("format", DayFiles.FORMAT);
    file.put("formatVersion", DayFiles.FORMAT_VERSION);
    file.put("terminalId", props.terminalId());
    file.put("from", from.toString());
    file.put("to", to.toString());
    file.put("zone", zone.getId());
    file.put("exportedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    ArrayNode ops = file.putArray("operations");
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> totals = new TreeMap<>();
    for (LedgerEntry e : entries) {
      JsonNode envelope = parse(e.envelopeJson());
      ops.add(envelope);
      counts.computeIfAbsent(e.type(), t -> new long[1])[0]++;
      JsonNode total = envelope.path("payload").path("total");
      if (total.isNumber()) {
        totals.merge(e.type(), total.decimalValue(), BigDecimal::add);
      }
    }
    ObjectNode summary = file.putObject("summary");
    summary.put("count", entries.size());
    if (entries.isEmpty()) {
      summary.putNull("firstSequence");
      summary.putNull("lastSequence");
    } else {
      summary.put("firstSequence", entries.get(0).sequence());
      summary.put("lastSequence", entries.get(entries.size() - 1).sequence());
    }
    ObjectNode byType = summary.putObject("byType");
    counts.forEach(
        (type, n) -> {
          ObjectNode t = byType.putObject(type);
          t.put("count", n[0]);
          if (totals.containsKey(type)) {
            t.put("total", totals.get(type));
          }
        });
    file.putObject("publicKey")
        .put("algorithm", DayFiles.KEY_ALGORITHM)
        .put("value", keys.publicKeyBase64());
    return DayFiles.seal(file, keys.privateKey());
  }

  private static JsonNode parse(String json) {
    try {
      return Contracts.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("ledger row is not JSON", e);
    }
  }
}
