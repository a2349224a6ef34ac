package dev.outpost.system.harness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.Fixtures;
import java.math.BigDecimal;
import java.util.UUID;

/** Operations as a POS app posts them, built from the contract fixtures. */
public final class Ops {
  public static final String ACTIVE_BRACELET = "B-1001";
  private static final BigDecimal BEER = new BigDecimal("3.50");

  private Ops() {}

  /** A sale of {@code quantity} beers against the active demo visit, with its own operationId. */
  public static ObjectNode sale(UUID operationId, int quantity) {
    ObjectNode op = Fixtures.valid("sale.recorded.json");
    op.put("operationId", operationId.toString());
    ObjectNode payload = (ObjectNode) op.get("payload");
    payload.put("braceletId", ACTIVE_BRACELET);
    ArrayNode lines = payload.putArray("lines");
    ObjectNode line = lines.addObject();
    line.put("productId", "beer");
    line.put("quantity", quantity);
    line.put("unitPrice", BEER);
    payload.put("total", saleTotal(quantity));
    payload.put("observations", "system test");
    return op;
  }

  public static BigDecimal saleTotal(int quantity) {
    return BEER.multiply(BigDecimal.valueOf(quantity));
  }

  public static String json(ObjectNode node) {
    try {
      return Contracts.mapper().writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** UUID v7-like (time-ordered), as POS apps are asked to make them. */
  public static UUID newId() {
    long millis = System.currentTimeMillis();
    UUID r = UUID.randomUUID();
    long msb = (millis << 16) | 0x7000L | (r.getMostSignificantBits() & 0x0FFFL);
    long lsb = (r.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
