package dev.outpost.central.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/**
 * A version of a record or field: (updatedAt, terminal, operationId), compared in that order, so
 * two different changes are never "equal" and every replica picks the same winner.
 */
public record RecordVersion(Instant at, String terminal, UUID operation)
    implements Comparable<RecordVersion> {
  private static final Comparator<RecordVersion> ORDER =
      Comparator.comparing(RecordVersion::at)
          .thenComparing(RecordVersion::terminal)
          .thenComparing(v -> v.operation().toString());

  @Override
  public int compareTo(RecordVersion o) {
    return ORDER.compare(this, o);
  }

  public boolean newerThan(RecordVersion o) {
    return o == null || compareTo(o) > 0;
  }

  ArrayNode toJson() {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    a.add(at.toString()).add(terminal).add(operation.toString());
    return a;
  }

  static RecordVersion fromJson(JsonNode a) {
    if (a == null || !a.isArray() || a.size() != 3) {
      return null;
    }
    return new RecordVersion(
        Instant.parse(a.get(0).asText()), a.get(1).asText(), UUID.fromString(a.get(2).asText()));
  }

  @Override
  public String toString() {
    return at + " by " + terminal + " (" + operation + ")";
  }
}
