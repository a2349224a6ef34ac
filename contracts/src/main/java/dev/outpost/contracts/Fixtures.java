package dev.outpost.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Example and invalid documents shipped in {@code classpath:fixtures/}, used by the tests of both
 * apps and as documentation for POS developers.
 */
public final class Fixtures {
  public static final List<String> VALID =
      List.of(
          "sale.recorded.json",
          "sale.recorded-member.json",
          "access.recorded.json",
          "access.recorded-denied.json",
          "match-event.recorded.json",
          "match-event.recorded-substitution.json",
          "box-office.sale.recorded.json",
          "record.upserted.json",
          "record.deleted.json",
          "stock.adjusted.json");

  private Fixtures() {}

  public static String validText(String name) {
    return read("fixtures/valid/" + name);
  }

  public static ObjectNode valid(String name) {
    return (ObjectNode) parse(validText(name));
  }

  /**
   * An unsealed day file of one terminal for 2026-11-23 (UTC) holding these operations, with its
   * summary (count, and per type count and the sum of {@code payload.total} where there is one);
   * seal it with {@link DayFiles#seal}.
   */
  public static ObjectNode dayFile(String terminalId, PublicKey key, ObjectNode... operations) {
    ObjectNode f = Contracts.mapper().createObjectNode();
    f.put("format", DayFiles.FORMAT).put("formatVersion", DayFiles.FORMAT_VERSION);
    f.put("terminalId", terminalId).put("from", "2026-11-23").put("to", "2026-11-23");
    f.put("zone", "UTC").put("exportedAt", "2026-11-23T22:00:00Z");
    ObjectNode summary = Contracts.mapper().createObjectNode().put("count", operations.length);
    ObjectNode byType = summary.putObject("byType");
    for (ObjectNode op : operations) {
      f.withArray("/operations").add(op);
      ObjectNode type = byType.withObject("/" + op.get("type").asText());
      type.put("count", type.path("count").asInt() + 1);
      if (op.at("/payload/total").isNumber()) {
        BigDecimal before = type.has("total") ? type.get("total").decimalValue() : BigDecimal.ZERO;
        type.put("total", before.add(op.at("/payload/total").decimalValue()));
      }
    }
    f.set("summary", summary);
    f.putObject("publicKey")
        .put("algorithm", DayFiles.KEY_ALGORITHM)
        .put("value", DayFiles.encode(key));
    return f;
  }

  public static String invalidText(String name) {
    return read("fixtures/invalid/" + name);
  }

  /** Invalid fixture file name -> the pointers the validator must report for it. */
  public static Map<String, List<String>> invalidIndex() {
    JsonNode index = parse(read("fixtures/invalid/index.json"));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = index.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith("_")) {
        continue;
      }
      List<String> pointers = new ArrayList<>();
      e.getValue().forEach(p -> pointers.add(p.asText()));
      out.put(e.getKey(), pointers);
    }
    return out;
  }

  private static JsonNode parse(String text) {
    try {
      return Contracts.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String path) {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
