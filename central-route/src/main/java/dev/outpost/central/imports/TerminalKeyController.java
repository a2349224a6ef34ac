package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems;
import dev.outpost.contracts.DayFiles;
import dev.outpost.contracts.TerminalIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** /api/v1/terminals/{id}/key: the key a terminal's day files must be signed with. */
@RestController
@RequestMapping("/api/v1/terminals/{terminalId}/key")
public class TerminalKeyController {
  private final TerminalKeyRepository registry;

  public TerminalKeyController(TerminalKeyRepository registry) {
    this.registry = registry;
  }

  @GetMapping
  public TerminalKeyRepository.Registered get(@PathVariable String terminalId) {
    return registry
        .find(checked(terminalId))
        .orElseThrow(
            () ->
                new ApiProblems.ApiException(
                    HttpStatus.NOT_FOUND,
                    "unknown-terminal-key",
                    "no key registered for terminal " + terminalId));
  }

  /**
   * {@code {"publicKey": "<base64 X.509>"}} as the terminal shows it at GET /api/v1/terminal/key.
   */
  @PutMapping
  public TerminalKeyRepository.Registered put(
      @PathVariable String terminalId, @RequestBody JsonNode body, HttpServletRequest http) {
    String key = body.path("publicKey").asText(null);
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "give {\"publicKey\": \"<base64>\"} as shown by the terminal at GET /api/v1/terminal/key");
    }
    String id = checked(terminalId);
    // A terminal registers its own key once, at its first start after enrollment (its login
    // allows only its own id); replacing a key takes ops, or a new enrollment.
    if (http.isUserInRole("TERMINAL")) {
      var existing = registry.find(id);
      if (existing.isPresent()) {
        if (existing.get().publicKey().equals(DayFiles.encode(DayFiles.publicKey(key)))) {
          return existing.get();
        }
        throw new ApiProblems.ApiException(
            HttpStatus.CONFLICT,
            "key-already-registered",
            "terminal " + id + " has a key already; ops may replace it");
      }
    }
    return registry.register(id, key, Actors.of(http));
  }

  private static String checked(String terminalId) {
    if (!TerminalIds.isValid(terminalId)) {
      throw new IllegalArgumentException("not a terminal id ([a-z0-9-])");
    }
    return terminalId;
  }
}
