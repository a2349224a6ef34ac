package dev.outpost.system.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One operation a POS app meant to record, as the load driver made it: the submission it posts
 * (every attempt posts the same body), the lane its type travels in, a hash of its payload, and the
 * effect central must apply exactly once if it is applied.
 *
 * @param effect what central's projections must show for it (null: none checked)
 * @param expectedDeadLetter the DLQ reason central must give it (null: it must be applied)
 */
public record Op(
    String operationId,
    String terminalId,
    String type,
    String lane,
    Instant occurredAt,
    String body,
    String payloadHash,
    Effect effect,
    String expectedDeadLetter) {

  /** What one applied operation adds at central. */
  public sealed interface Effect {}

  /** A sale against a bracelet: a {@code sales} row, and the visit's consumed amount + total. */
  public record SaleEffect(String braceletId, BigDecimal total) implements Effect {}

  /** A stock delta: a {@code stock_movements} row, and the level of (product, location) + delta. */
  public record StockEffect(String productId, String location, long delta) implements Effect {}

  /** A generic record change: the record's row names this operation as its last writer. */
  public record RecordEffect(String entity, String recordId) implements Effect {}

  public static Op of(
      String terminalId, ObjectNode submission, Effect effect, String expectedDeadLetter) {
    String type = submission.path("type").asText();
    return new Op(
        submission.path("operationId").asText(),
        terminalId,
        type,
        laneOf(type),
        Instant.parse(submission.path("occurredAt").asText()),
        json(submission),
        Canonical.hash(submission.path("payload")),
        effect,
        expectedDeadLetter);
  }

  /** The terminal's default lanes (edge {@code outpost.lanes.*}, docs/semantics.md). */
  public static String laneOf(String type) {
    switch (type) {
      case "sale.recorded":
      case "box-office.sale.recorded":
      case "access.recorded":
        return "critical";
      case "match-event.recorded":
      case "stock.adjusted":
        return "normal";
      default:
        return "bulk";
    }
  }

  static String json(JsonNode node) {
    try {
      return Contracts.mapper().writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
