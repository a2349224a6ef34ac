package dev.outpost.central.masterdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataSets;
import dev.outpost.contracts.PinHash;
import dev.outpost.contracts.TerminalIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Admin reads and writes of master rows, and the snapshots and checksums terminals sync with. */
@Component
public class MasterDataService {
  private final MasterDataRepository rows;
  private final TransactionTemplate snapshotTx;

  public MasterDataService(MasterDataRepository rows, TransactionTemplate tx) {
    this.rows = rows;
    // One consistent view per snapshot or checksum answer.
    this.snapshotTx = new TransactionTemplate(tx.getTransactionManager());
    snapshotTx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    snapshotTx.setReadOnly(true);
  }

  public String list(String setName) {
    MasterSet set = set(setName);
    ArrayNode items = Contracts.mapper().createArrayNode();
    for (String row : rows.list(set)) {
      items.add(MasterRows.toDocument(row, set.idColumn));
    }
    ObjectNode doc = Contracts.mapper().createObjectNode();
    doc.put("set", set.setName);
    doc.set("items", items);
    return MasterRows.write(doc);
  }

  public String find(String setName, String id) {
    MasterSet set = set(setName);
    List<String> found = rows.find(set, id);
    if (found.isEmpty()) {
      throw new MasterDataException(404, "no " + set.setName + " record " + id);
    }
    return MasterRows.write(MasterRows.toDocument(found.get(0), set.idColumn));
  }

  /** Creates or replaces the record (and undeletes it); returns it as stored. */
  public String upsert(String setName, String id, String body) {
    MasterSet set = set(setName);
    if (id == null || id.isBlank() || id.length() > 200) {
      throw new MasterDataException(400, "the id must be 1-200 characters");
    }
    JsonNode doc;
    try {
      doc = Contracts.mapper().readTree(body == null ? "" : body);
    } catch (Exception e) {
      throw new MasterDataException(400, "the body is not valid JSON");
    }
    if (doc == null || !doc.isObject()) {
      throw new MasterDataException(400, "the body must be a JSON object");
    }
    if (set == MasterSet.OPERATORS && doc.hasNonNull("pin")) {
      // The PIN itself is never stored or sent anywhere.
      ((ObjectNode) doc).put("pinHash", PinHash.hash(doc.get("pin").asText()));
    }
    Map<String, Object> params = new HashMap<>();
    for (MasterSet.Column c : set.columns) {
      JsonNode v = doc.get(c.json());
      if (v == null || v.isNull()) {
        if (c.required()) {
          throw new MasterDataException(400, "/" + c.json() + " is required");
        }
        params.put(
            c.name(),
            c.kind() == MasterSet.Kind.BOOL
                ? Boolean.TRUE
                : c.kind() == MasterSet.Kind.FLAG ? Boolean.FALSE : null);
        continue;
      }
      params.put(c.name(), value(c, v));
    }
    try {
      rows.upsert(set, id, params);
    } catch (DataIntegrityViolationException e) {
      throw new MasterDataException(
          422, "the record breaks a rule of " + set.table + ": " + rootMessage(e));
    }
    return find(setName, id);
  }

  /** Soft delete: terminals get a tombstone and drop the record. */
  public boolean delete(String setName, String id) {
    MasterSet set = set(setName);
    return rows.softDelete(set, id);
  }

  /**
   * All live records of a set in scope, read in one consistent view. Registers the terminal first
   * (own transaction), so every change committed after this read is published to it.
   */
  public String snapshot(String setName, String terminal) {
    MasterSet set = set(setName);
    register(terminal);
    Instant since = scopeSince(null);
    return snapshotTx.execute(
        status -> {
          ArrayNode records = Contracts.mapper().createArrayNode();
          for (String row : rows.snapshot(set, since)) {
            ObjectNode data = MasterRows.toDocument(row, set.idColumn);
            ObjectNode rec = records.addObject();
            rec.put("set", set.setName);
            rec.put("id", data.get("id").asText());
            rec.put("version", data.get("version").asLong());
            rec.put("deleted", false);
            rec.set("data", data);
          }
          ObjectNode doc = Contracts.mapper().createObjectNode();
          doc.put("set", set.setName);
          doc.put("takenAt", Instant.now().toString());
          doc.put("count", records.size());
          doc.set("records", records);
          return MasterRows.write(doc);
        });
  }

  /**
   * Per set: count and md5 of "id:version" joined by "," in byte order of the ids, over live
   * records in scope. {@code visitsSince} lets the terminal use its own cut-off, so a clock
   * difference does not look like drift.
   */
  public String checksums(String terminal, String visitsSince) {
    if (terminal != null) {
      TerminalIds.require(terminal);
    }
    Instant since = scopeSince(visitsSince);
    return snapshotTx.execute(
        status -> {
          ObjectNode sets = Contracts.mapper().createObjectNode();
          for (MasterSet set : MasterSet.values()) {
            MasterDataRepository.Checksum sum = rows.checksum(set, since);
            sets.putObject(set.setName).put("count", sum.count()).put("hash", sum.hash());
          }
          ObjectNode doc = Contracts.mapper().createObjectNode();
          doc.set("sets", sets);
          return MasterRows.write(doc);
        });
  }

  private void register(String terminal) {
    if (!TerminalIds.isValid(terminal)) {
      throw new MasterDataException(400, "terminal must be a valid terminal id");
    }
    rows.register(terminal);
  }

  private static Instant scopeSince(String visitsSince) {
    Instant since = Instant.now().minus(MasterDataSets.VISIT_SCOPE_DAYS, ChronoUnit.DAYS);
    if (visitsSince != null && !visitsSince.isBlank()) {
      try {
        since = Instant.parse(visitsSince);
      } catch (DateTimeParseException e) {
        throw new MasterDataException(400, "visitsSince must be an ISO-8601 instant");
      }
    }
    return since;
  }

  private static Object value(MasterSet.Column c, JsonNode v) {
    try {
      return switch (c.kind()) {
        case TEXT -> {
          if (!v.isTextual()) {
            throw new MasterDataException(400, "/" + c.json() + " must be a string");
          }
          yield v.asText();
        }
        case DECIMAL -> {
          if (!v.isNumber()) {
            throw new MasterDataException(400, "/" + c.json() + " must be a number");
          }
          yield new BigDecimal(v.asText());
        }
        case BOOL, FLAG -> {
          if (!v.isBoolean()) {
            throw new MasterDataException(400, "/" + c.json() + " must be true or false");
          }
          yield v.asBoolean();
        }
        case INT -> {
          if (!v.canConvertToInt()) {
            throw new MasterDataException(400, "/" + c.json() + " must be an integer");
          }
          yield v.asInt();
        }
        case TIMESTAMP -> OffsetDateTime.parse(v.asText());
      };
    } catch (DateTimeParseException e) {
      throw new MasterDataException(400, "/" + c.json() + " must be an instant with offset");
    }
  }

  static MasterSet set(String setName) {
    return MasterSet.of(setName)
        .orElseThrow(
            () ->
                new MasterDataException(
                    404, "unknown master-data set " + setName + "; known: " + MasterDataSets.ALL));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
