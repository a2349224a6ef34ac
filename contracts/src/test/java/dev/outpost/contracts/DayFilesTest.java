package dev.outpost.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

class DayFilesTest {
  private static ObjectNode file(KeyPair keys) {
    ObjectNode f = Contracts.mapper().createObjectNode();
    f.put("format", DayFiles.FORMAT).put("formatVersion", 1).put("terminalId", "bar-1");
    f.put("from", "2026-11-23").put("to", "2026-11-23").put("zone", "UTC");
    f.put("exportedAt", "2026-11-23T22:00:00Z");
    ObjectNode op = Fixtures.valid("sale.recorded.json");
    op.put("terminalId", "bar-1").put("sequence", 1);
    f.putArray("operations").add(op);
    ObjectNode summary = f.putObject("summary");
    summary.put("count", 1);
    summary
        .putObject("byType")
        .putObject("sale.recorded")
        .put("count", 1)
        .put("total", new java.math.BigDecimal("7.00"));
    f.putObject("publicKey")
        .put("algorithm", "Ed25519")
        .put("value", DayFiles.encode(keys.getPublic()));
    return f;
  }

  @Test
  void sealedFileVerifiesAfterReformattingAndFailsWhenOneValueChanges() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    ObjectNode sealed = DayFiles.seal(file(keys), keys.getPrivate());
    String pretty = Contracts.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sealed);
    JsonNode reread = Contracts.mapper().readTree(pretty);
    assertThat(DayFiles.problems(reread, DayFiles.publicKey(DayFiles.encode(keys.getPublic()))))
        .isEmpty();

    JsonNode tampered =
        Contracts.mapper()
            .readTree(pretty.replace("\"2026-11-23T22:00:00Z\"", "\"2026-11-23T22:00:01Z\""));
    assertThat(DayFiles.problems(tampered, keys.getPublic()))
        .anyMatch(p -> p.startsWith("checksum mismatch"));

    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThat(DayFiles.problems(reread, other.getPublic()))
        .anyMatch(p -> p.startsWith("signature does not verify"));
  }
}
