package dev.outpost.central.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {
  @Test
  void selectorIsBuiltOnlyFromValidatedValues() {
    DeadLetterFilter f =
        DeadLetterFilter.parse(
            "UNKNOWN_REFERENCE", "bar-1", "sale.recorded", "2026-11-23", "2026-11-24T00:00:00Z");
    assertThat(f.selector())
        .isEqualTo(
            "reason = 'UNKNOWN_REFERENCE' AND terminalId = 'bar-1' AND type = 'sale.recorded'"
                + " AND JMSTimestamp >= 1795392000000 AND JMSTimestamp < 1795478400000");
    assertThat(DeadLetterFilter.parse("POISON", null, null, null, null).selector())
        .contains("reason IS NULL");
    assertThat(DeadLetterFilter.ALL.selector()).isNull();
  }

  @Test
  void injectionAttemptsAreRefused() {
    assertThatThrownBy(() -> DeadLetterFilter.parse("X' OR '1'='1", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeadLetterFilter.parse(null, "bar' OR 1=1", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeadLetterFilter.parse(null, null, "sale' OR 'a'='a", null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeadLetterFilter.byMessageId("ID:1' OR '1'='1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeadLetterFilter.byMessageId("0b7d5a54-2d6e-11f0-9c3a-0242ac120002"))
        .isEqualTo("JMSMessageID = 'ID:0b7d5a54-2d6e-11f0-9c3a-0242ac120002'");
  }
}
