package dev.outpost.edge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 of an operation's content in a canonical form (object keys sorted, numbers by value,
 * occurredAt as an instant), so a POS retry that re-serialises the same operation differently still
 * counts as "the same payload", while any real change gives 409.
 */
public final class PayloadHash {
  private PayloadHash() {}

  public static String of(String type, int schemaVersion, String occurredAt, JsonNode payload) {
    StringBuilder sb = new StringBuilder();
    sb.append(type).append('\n').append(schemaVersion).append('\n');
    sb.append(canonicalInstant(occurredAt)).append('\n');
    canonical(payload, sb);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String canonicalInstant(String occurredAt) {
    try {
      return OffsetDateTime.parse(occurredAt).toInstant().toString();
    } catch (RuntimeException e) {
      return occurredAt; // validated before; keep the text if a future format slips through
    }
  }

  private static void canonical(JsonNode node, StringBuilder sb) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      sb.append("null");
    } else if (node.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), e.getValue());
      }
      sb.append('{');
      sorted.forEach(
          (k, v) -> {
            sb.append(quote(k)).append(':');
            canonical(v, sb);
            sb.append(',');
          });
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      node.forEach(
          v -> {
            canonical(v, sb);
            sb.append(',');
          });
      sb.append(']');
    } else if (node.isNumber()) {
      BigDecimal d = node.decimalValue();
      sb.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (node.isTextual()) {
      sb.append(quote(node.textValue()));
    } else {
      sb.append(node.toString());
    }
  }

  private static String quote(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
  }
}
