package dev.outpost.central.imports;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.OperationValidator;
import dev.outpost.contracts.Violation;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The whole-file check before anything is applied: JSON, the day-file structure, the terminal's
 * registered key, checksum and signature.
 */
@Component
public class DayFileVerification {
  /** The parsed file (null when it is not JSON) and, when refused, why. */
  record Verdict(JsonNode file, String refusal) {
    boolean trusted() {
      return refusal == null;
    }
  }

  private final TerminalKeyRepository keys;
  private final OperationValidator validator = new OperationValidator();

  public DayFileVerification(TerminalKeyRepository keys) {
    this.keys = keys;
  }

  Verdict verify(byte[] content) {
    JsonNode file;
    try {
      file = Contracts.mapper().readTree(content);
    } catch (JacksonException e) {
      return new Verdict(null, "not a JSON document: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new Verdict(null, "unreadable: " + e.getMessage());
    }
    if (file == null || !file.isObject()) {
      return new Verdict(null, "not a day file (expected a JSON object)");
    }
    List<Violation> structure = validator.validateDayFile(file);
    if (!structure.isEmpty()) {
      return new Verdict(file, "not a valid day file: " + describe(structure));
    }
    String terminal = file.get("terminalId").asText();
    Optional<PublicKey> key = keys.publicKey(terminal);
    if (key.isEmpty()) {
      return new Verdict(
          file,
          "no key registered for terminal "
              + terminal
              + " (register it: PUT /api/v1/terminals/"
              + terminal
              + "/key)");
    }
    List<String> problems = DayFiles.problems(file, key.get());
    return new Verdict(file, problems.isEmpty() ? null : String.join("; ", problems));
  }

  /** What an import row records of the file: its identity when the structure is valid. */
  ImportRepository.FileFacts facts(JsonNode file) {
    if (file == null || !validator.validateDayFile(file).isEmpty()) {
      return ImportRepository.FileFacts.NONE;
    }
    return new ImportRepository.FileFacts(
        file.get("terminalId").asText(),
        file.get("from").asText(),
        file.get("to").asText(),
        file.get("zone").asText(),
        file.get("checksum").path("value").asText(),
        file.get("operations").size());
  }

  private static String describe(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    for (Violation v : violations.subList(0, Math.min(5, violations.size()))) {
      sb.append(sb.length() == 0 ? "" : "; ").append(v.pointer()).append(' ').append(v.message());
    }
    return sb.toString();
  }
}
