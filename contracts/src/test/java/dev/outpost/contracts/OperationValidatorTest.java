package dev.outpost.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OperationValidatorTest {
  private final OperationValidator validator = new OperationValidator();

  @Test
  void everyValidFixtureIsValidAsSubmissionAndAsFullEnvelope() {
    for (String name : Fixtures.VALID) {
      ObjectNode doc = Fixtures.valid(name);
      assertThat(validator.validateSubmission(doc).violations()).as(name).isEmpty();
      doc.put("terminalId", "demo-till-1").put("sequence", 1).put("schemaVersion", 1);
      if (!doc.has("operationId")) {
        doc.put("operationId", UUID.randomUUID().toString());
      }
      assertThat(validator.validateEnvelope(doc).violations()).as(name).isEmpty();
    }
  }

  @Test
  void everyInvalidFixtureNamesItsBadFields() throws Exception {
    for (var entry : Fixtures.invalidIndex().entrySet()) {
      JsonNode doc = Contracts.mapper().readTree(Fixtures.invalidText(entry.getKey()));
      ValidationResult result = validator.validateSubmission(doc);
      List<String> pointers = result.violations().stream().map(Violation::pointer).toList();
      assertThat(result.isValid()).as(entry.getKey()).isFalse();
      assertThat(pointers)
          .as(entry.getKey() + " -> " + result.summary())
          .containsAll(entry.getValue());
    }
  }

  @Test
  void fullEnvelopeNeedsTerminalAndSequence() {
    ValidationResult result = validator.validateEnvelope(Fixtures.valid("sale.recorded.json"));
    assertThat(result.violations())
        .extracting(Violation::pointer)
        .contains("/terminalId", "/sequence", "/schemaVersion");
  }

  @Test
  void unknownSchemaVersionIsReportedAsUnsupportedNotInvalid() {
    ObjectNode doc = Fixtures.valid("sale.recorded.json");
    doc.put("schemaVersion", 7);
    ValidationResult result = validator.validateSubmission(doc);
    assertThat(result.violations()).isEmpty();
    assertThat(result.unsupportedVersion()).isTrue();
    assertThat(result.reason()).isEqualTo(RejectReason.UNSUPPORTED_VERSION);
  }

  @Test
  void amountsAreExactDecimals() {
    SalePayload sale =
        Contracts.mapper()
            .convertValue(Fixtures.valid("sale.recorded.json").get("payload"), SalePayload.class);
    assertThat(sale.lines().get(0).unitPrice()).isEqualTo(new BigDecimal("3.50"));
    assertThat(sale.total()).isEqualByComparingTo("7.00");
    assertThat(sale.linesTotal()).isEqualByComparingTo("7.00");
  }

  @Test
  void tooDeepDocumentsAreRefusedWhileParsing() {
    String deep =
        "[".repeat(Contracts.MAX_NESTING_DEPTH + 5) + "]".repeat(Contracts.MAX_NESTING_DEPTH + 5);
    assertThatThrownBy(() -> Contracts.mapper().readTree(deep))
        .hasMessageContaining("nesting depth");
  }

  @Test
  void terminalIdsAreStrict() {
    assertThat(TerminalIds.isValid("demo-till-1")).isTrue();
    assertThat(TerminalIds.isValid("Demo.till")).isFalse();
    assertThat(TerminalIds.isValid("a/../b")).isFalse();
    assertThatThrownBy(() -> Destinations.opsIn("x#")).isInstanceOf(IllegalArgumentException.class);
  }
}
