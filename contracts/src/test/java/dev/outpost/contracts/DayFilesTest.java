package dev.outpost.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

class DayFilesTest {
  private static ObjectNode file(KeyPair keys) {
    ObjectNode op = Fixtures.valid("sale.recorded.json");
    op.put("terminalId", "bar-1").put("sequence", 1);
    return Fixtures.dayFile("bar-1", keys.getPublic(), op);
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
