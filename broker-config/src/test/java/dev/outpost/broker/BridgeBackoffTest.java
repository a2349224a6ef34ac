package dev.outpost.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BridgeBackoffTest {

  @Test
  void aFleetsFirstRetriesSpreadEvenlyOverTheWindowAndStayCapped() {
    int[] buckets = new int[10];
    for (int i = 0; i < 2_000; i++) {
      String id = "till-" + i;
      long retry = BridgeBackoff.retryMillis(id);
      long max = BridgeBackoff.maxRetryMillis(id, BridgeBackoff.BASE_MAX_RETRY_MILLIS);
      assertThat(retry).isBetween(500L, 1_000L);
      assertThat(max).isBetween(5_000L, 7_500L);
      buckets[(int) Math.min(9, (retry - 500) / 50)]++;
    }
    for (int b : buckets) {
      assertThat(b).as("terminals per 50 ms of the first retry").isBetween(140, 260);
    }
    assertThat(BridgeBackoff.retryMillis("bar-till-2"))
        .as("stable for one terminal")
        .isEqualTo(BridgeBackoff.retryMillis("bar-till-2"));
  }

  @Test
  void anExplicitSettingWins() {
    Map<String, String> settings = new HashMap<>();
    settings.put("terminalId", "t-1");
    settings.put("bridgeMaxRetryMillis", "250");
    Map<String, String> out = EmbeddedBroker.withBridgeBackoff(settings);
    assertThat(out).containsEntry("bridgeMaxRetryMillis", "250");
    assertThat(out.get("bridgeRetryMillis"))
        .isEqualTo(String.valueOf(BridgeBackoff.retryMillis("t-1")));
  }
}
