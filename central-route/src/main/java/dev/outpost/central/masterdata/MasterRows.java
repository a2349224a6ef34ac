package dev.outpost.central.masterdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.MasterDataChange;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rows as PostgreSQL's to_jsonb gives them, turned into the camelCase documents terminals get. */
final class MasterRows {
  private MasterRows() {}

  static String camel(String snake) {
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** {"bracelet_id": ...} to {"braceletId": ...}; the id column is also given as "id". */
  static ObjectNode toDocument(String rowJson, String idColumn) {
    ObjectNode row = parse(rowJson);
    ObjectNode doc = Contracts.mapper().createObjectNode();
    List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
    row.fields().forEachRemaining(fields::add);
    doc.set("id", row.get(idColumn));
    for (Map.Entry<String, JsonNode> f : fields) {
      if (!f.getKey().equals(idColumn) || !"id".equals(idColumn)) {
        doc.set(camel(f.getKey()), f.getValue());
      }
    }
    return doc;
  }

  static MasterDataChange change(MasterSet set, String id, long version, String rowJson) {
    if (rowJson == null) {
      return new MasterDataChange(set.setName, id, version, true, null);
    }
    ObjectNode doc = toDocument(rowJson, set.idColumn);
    return new MasterDataChange(
        set.setName, id, version, doc.path("deleted").asBoolean(false), doc);
  }

  static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Contracts.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String write(Object value) {
    try {
      return Contracts.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
