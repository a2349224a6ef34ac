package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * Payload of {@code sale.recorded} v1. Money is {@link BigDecimal}, never binary floating point.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SalePayload(
    String braceletId,
    String memberId,
    List<Line> lines,
    BigDecimal total,
    boolean paid,
    String observations) {

  public record Line(String productId, int quantity, BigDecimal unitPrice) {
    public BigDecimal amount() {
      return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
  }

  /** Sum of quantity x unit price over the lines. */
  public BigDecimal linesTotal() {
    return lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
