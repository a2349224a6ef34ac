package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/** Payload of {@code box-office.sale.recorded} v1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BoxOfficeSalePayload(
    String matchId,
    List<Line> lines,
    BigDecimal total,
    boolean paid,
    String buyerName,
    String observations) {

  public record Line(String ticketTypeId, int quantity, BigDecimal unitPrice) {
    public BigDecimal amount() {
      return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
  }

  public BigDecimal linesTotal() {
    return lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
