package dev.outpost.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OperationIdsTest {
  @Test
  void v7CarriesVersionVariantAndTimestamp() {
    long millis = 1_790_000_000_000L;
    UUID id = OperationIds.v7(millis);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
  }

  @Test
  void idsAreUniqueAndOrderedByTime() {
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(OperationIds.newV7())).isTrue();
    }
    assertThat(OperationIds.v7(1000).toString()).isLessThan(OperationIds.v7(2000).toString());
  }

  @Test
  void onlyTheCanonicalFormIsAccepted() {
    assertThat(OperationIds.isCanonical("0193a1f0-7c2e-7a10-8b00-000000000001")).isTrue();
    assertThat(OperationIds.isCanonical("0193A1F0-7C2E-7A10-8B00-000000000001")).isTrue();
    assertThat(OperationIds.isCanonical("0193a1f07c2e7a108b00000000000001")).isFalse();
    assertThat(OperationIds.isCanonical("1-1-1-1-1")).isFalse();
    assertThat(OperationIds.isCanonical("../../etc")).isFalse();
    assertThat(OperationIds.isCanonical(null)).isFalse();
  }
}
