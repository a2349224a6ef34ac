package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The file's per-type counts and sale sums against central's rows of that terminal whose occurredAt
 * falls on the file's days, and the operation ids missing on either side.
 */
@Component
public class CompletenessReport {
  static final int MAX_LISTED_IDS = 1000;

  private final ImportRepository imports;

  public CompletenessReport(ImportRepository imports) {
    this.imports = imports;
  }

  ObjectNode of(JsonNode file) {
    String terminal = file.get("terminalId").asText();
    ZoneId zone = ZoneId.of(file.get("zone").asText());
    Instant start = LocalDate.parse(file.get("from").asText()).atStartOfDay(zone).toInstant();
    Instant end =
        LocalDate.parse(file.get("to").asText()).plusDays(1).atStartOfDay(zone).toInstant();
    Map<String, ImportRepository.TypeFigures> central = imports.figures(terminal, start, end);
    Set<String> centralIds = imports.operationIds(terminal, start, end);
    Set<String> fileIds = new LinkedHashSet<>();
    file.get("operations")
        .forEach(op -> fileIds.add(op.path("operationId").asText().toLowerCase()));

    ObjectNode out = Contracts.mapper().createObjectNode();
    out.put("terminalId", terminal);
    out.put("from", file.get("from").asText());
    out.put("to", file.get("to").asText());
    out.put("zone", zone.getId());
    ObjectNode byType = out.putObject("byType");
    JsonNode fileByType = file.path("summary").path("byType");
    Set<String> types = new TreeSet<>(central.keySet());
    fileByType.fieldNames().forEachRemaining(types::add);
    boolean matches = true;
    for (String type : types) {
      JsonNode f = fileByType.path(type);
      long fileCount = f.path("count").asLong(0);
      BigDecimal fileTotal = f.path("total").isNumber() ? f.path("total").decimalValue() : null;
      ImportRepository.TypeFigures c = central.get(type);
      long centralCount = c == null ? 0 : c.count();
      BigDecimal centralTotal = c == null ? null : c.total();
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
    List<String> missingInFile =
        centralIds.stream().filter(i -> !fileIds.contains(i)).sorted().toList();
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
}
