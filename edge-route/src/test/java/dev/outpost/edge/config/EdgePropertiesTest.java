package dev.outpost.edge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EdgePropertiesTest {
  static EdgeProperties props(String terminal, String receiptsQueue) {
    return new EdgeProperties(
        terminal,
        Path.of("data"),
        new EdgeProperties.Central("tcp://127.0.0.1:61616", null, null, null, 5000),
        new EdgeProperties.Ingest(
            65536, 10, Duration.ofMinutes(15), Instant.parse("2020-01-01T00:00:00Z")),
        new EdgeProperties.Broker("0"),
        new EdgeProperties.Receipts(receiptsQueue));
  }

  @Test
  void aValidTerminalIdIsKept() {
    EdgeProperties p = props("till-7", "outpost.receipts.till-7");
    assertThat(p.derbyDir()).isEqualTo(Path.of("data", "derby"));
    assertThat(p.brokerDir()).isEqualTo(Path.of("data", "broker"));
  }

  @Test
  void anInvalidTerminalIdStopsStartUpNamingTheSetting() {
    for (String bad : new String[] {"Till 7", "", "till.7", "-till", "till/../x"}) {
      assertThatThrownBy(() -> props(bad, "outpost.receipts." + bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("OUTPOST_TERMINAL_ID");
    }
  }

  @Test
  void theReceiptQueueMustBelongToThisTerminal() {
    assertThatThrownBy(() -> props("till-7", "outpost.receipts.till-8"))
        .hasMessageContaining("outpost.receipts.till-7");
  }
}
