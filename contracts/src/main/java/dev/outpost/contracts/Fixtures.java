package dev.outpost.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
