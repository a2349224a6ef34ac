package dev.outpost.central.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems;
import dev.outpost.contracts.Contracts;
import dev.outpost.contracts.RejectReason;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * /api/v1/dead-letters: list, inspect, replay (as is or edited), replay a selection or all of a
 * reason, discard with a reason, and read the audit. Writes need the ops role (central's security
 * config). A Spring MVC controller rather than a Camel REST route because the audit needs the
 * authenticated principal; nothing of the HTTP request reaches a Camel exchange but the validated
 * values passed to {@link DeadLetterService}.
 */
@RestController
@RequestMapping("/api/v1/dead-letters")
public class DeadLetterController {
  private final DeadLetterService service;
  private final DeadLetterAuditRepository audit;

  public DeadLetterController(DeadLetterService service, DeadLetterAuditRepository audit) {
    this.service = service;
    this.audit = audit;
  }

  @GetMapping
  public DeadLetterService.Page list(
      @RequestParam(required = false) String reason,
      @RequestParam(required = false) String terminal,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "50") int limit) {
    return service.list(DeadLetterFilter.parse(reason, terminal, type, from, to), offset, limit);
  }

  @GetMapping("/{id}")
  public DeadLetter show(@PathVariable String id) {
    return service.get(id).orElseThrow(() -> notFound(id));
  }

  /** The original body alone, as JSON, for editing (./outpost dlq edit). */
  @GetMapping(value = "/{id}/body", produces = "application/json")
  public String body(@PathVariable String id) {
    return show(id).body();
  }

  /** Body optional: {@code {"body": <the corrected envelope, as JSON object or string>}}. */
  @PostMapping("/{id}/replay")
  public DeadLetterService.Outcome replay(
      @PathVariable String id,
      @RequestBody(required = false) String text,
      HttpServletRequest http) {
    JsonNode request = parse(text);
    String edited = null;
    if (request != null && request.hasNonNull("body")) {
      JsonNode b = request.get("body");
      edited = b.isTextual() ? b.asText() : write(b);
    }
    try {
      return service.replay(id, edited, Actors.of(http));
    } catch (DeadLetterService.NotFound e) {
      throw notFound(id);
    }
  }

  /**
   * {@code {"ids": [...]}} replays a selection; {@code {"reason": "UNKNOWN_REFERENCE"}} all of a
   * reason.
   */
  @PostMapping("/replay")
  public List<DeadLetterService.Outcome> replayMany(
      @RequestBody String text, HttpServletRequest http) {
    JsonNode request = parse(text);
    if (request == null) {
      throw new IllegalArgumentException("give {\"ids\": [...]} or {\"reason\": \"...\"}");
    }
    if (request.has("ids") && request.get("ids").isArray()) {
      List<String> ids = new ArrayList<>();
      request.get("ids").forEach(n -> ids.add(DeadLetterFilter.requireMessageId(n.asText())));
      return service.replayAll(ids, Actors.of(http));
    }
    if (request.hasNonNull("reason")) {
      RejectReason reason =
          DeadLetterFilter.parse(request.get("reason").asText(), null, null, null, null).reason();
      return service.replayReason(reason, Actors.of(http));
    }
    throw new IllegalArgumentException("give {\"ids\": [...]} or {\"reason\": \"...\"}");
  }

  /** {@code {"reason": "why this is dropped"}} (required). */
  @PostMapping("/{id}/discard")
  public DeadLetterService.Outcome discard(
      @PathVariable String id,
      @RequestBody(required = false) String text,
      HttpServletRequest http) {
    JsonNode request = parse(text);
    String why = request == null ? null : request.path("reason").asText(null);
    try {
      return service.discard(id, why, Actors.of(http));
    } catch (DeadLetterService.NotFound e) {
      throw notFound(id);
    }
  }

  /** The audit trail, newest first, optionally of one operation. */
  @GetMapping("/audit")
  public List<Map<String, Object>> audit(
      @RequestParam(required = false) String operationId,
      @RequestParam(defaultValue = "100") int limit) {
    UUID op = operationId == null || operationId.isBlank() ? null : UUID.fromString(operationId);
    return audit.list(op, Math.min(Math.max(limit, 1), 1000));
  }

  private static ApiProblems.ApiException notFound(String id) {
    return new ApiProblems.ApiException(
        HttpStatus.NOT_FOUND,
        "unknown-dead-letter",
        "no dead letter " + id + " (already replayed or discarded?)");
  }

  /** With the contracts' mapper: amounts stay exact decimals (3.50 is not turned into a double). */
  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Contracts.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException("the request body is not JSON");
    }
  }

  private static String write(JsonNode n) {
    try {
      return Contracts.mapper().writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalArgumentException("body is not JSON");
    }
  }
}
