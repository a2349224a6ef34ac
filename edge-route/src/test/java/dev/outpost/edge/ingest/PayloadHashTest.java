package dev.outpost.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import org.junit.jupiter.api.Test;

class PayloadHashTest {
  static JsonNode json(String s) throws Exception {
    return Contracts.mapper().readTree(s);
  }

  @Test
  void keyOrderNumberScaleAndOffsetNotationDoNotChangeTheHash() throws Exception {
    String a =
        PayloadHash.of(
            "sale.recorded",
            1,
            "2026-11-23T21:15:00Z",
            json("{\"total\":7.00,\"lines\":[{\"q\":2}]}"));
    String b =
        PayloadHash.of(
            "sale.recorded",
            1,
            "2026-11-23T22:15:00+01:00",
            json("{\"lines\":[{\"q\":2.0}],\"total\":7}"));
    assertThat(a).isEqualTo(b).hasSize(64);
  }

  @Test
  void anyRealChangeChangesTheHash() throws Exception {
    String base =
        PayloadHash.of("sale.recorded", 1, "2026-11-23T21:15:00Z", json("{\"total\":7.00}"));
    assertThat(PayloadHash.of("sale.recorded", 1, "2026-11-23T21:15:00Z", json("{\"total\":7.01}")))
        .isNotEqualTo(base);
    assertThat(PayloadHash.of("sale.recorded", 2, "2026-11-23T21:15:00Z", json("{\"total\":7.00}")))
        .isNotEqualTo(base);
    assertThat(
            PayloadHash.of("access.recorded", 1, "2026-11-23T21:15:00Z", json("{\"total\":7.00}")))
        .isNotEqualTo(base);
    assertThat(PayloadHash.of("sale.recorded", 1, "2026-11-23T21:15:01Z", json("{\"total\":7.00}")))
        .isNotEqualTo(base);
    assertThat(
            PayloadHash.of(
                "sale.recorded", 1, "2026-11-23T21:15:00Z", json("{\"total\":\"7.00\"}")))
        .isNotEqualTo(base);
    assertThat(PayloadHash.of("sale.recorded", 1, "2026-11-23T21:15:00Z", json("{\"a\":[1,2]}")))
        .isNotEqualTo(
            PayloadHash.of("sale.recorded", 1, "2026-11-23T21:15:00Z", json("{\"a\":[2,1]}")));
  }
}
