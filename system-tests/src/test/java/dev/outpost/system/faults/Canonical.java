package dev.outpost.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A JSON value written one way only (object keys sorted, no whitespace, numbers exactly as written
 * with their scale: 3.50 is not 3.5), so what a POS posted and what PostgreSQL's jsonb gives back
 * can be compared by hash.
 */
public final class Canonical {
  private Canonical() {}

  public static String hash(JsonNode node) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(write(node).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(String json) {
    try {
      return hash(Contracts.mapper().readTree(json));
    } catch (Exception e) {
      return "unreadable:" + json.hashCode();
    }
  }

  public static String write(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    write(node, sb);
    return sb.toString();
  }

  private static void write(JsonNode n, StringBuilder sb) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      sb.append("null");
    } else if (n.isObject()) {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      sb.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(quote(names.get(i))).append(':');
        write(n.get(names.get(i)), sb);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(n.get(i), sb);
      }
      sb.append(']');
    } else if (n.isNumber()) {
      sb.append(n.decimalValue().toPlainString());
    } else if (n.isTextual()) {
      sb.append(quote(n.textValue()));
    } else {
      sb.append(n.asText());
    }
  }

  private static String quote(String s) {
    try {
      return Contracts.mapper().writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
