package dev.outpost.central.records;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * /api/v1/conflicts: changes held by the MANUAL policy, and a person's decision ({@link
 * ConflictResolution}).
 */
@RestController
@RequestMapping("/api/v1/conflicts")
public class ConflictController {
  private final ConflictRepository conflicts;
  private final ConflictResolution resolution;

  public ConflictController(ConflictRepository conflicts, ConflictResolution resolution) {
    this.conflicts = conflicts;
    this.resolution = resolution;
  }

  /** {@code data}: the record's fields as the person merged them (only with MERGED). */
  public record Decision(String choose, String note, JsonNode data) {}

  @GetMapping
  public List<Map<String, Object>> list(
      @RequestParam(defaultValue = "OPEN") String status,
      @RequestParam(required = false) String entity,
      @RequestParam(defaultValue = "100") int limit) {
    if (!List.of("OPEN", "RESOLVED", "ALL").contains(status)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "bad-filter", "status must be OPEN, RESOLVED or ALL");
    }
    return conflicts.list(status, entity, Math.max(1, Math.min(limit, 1000)));
  }

  @GetMapping("/{id}")
  public Map<String, Object> show(@PathVariable long id) {
    return conflicts
        .find(id)
        .orElseThrow(
            () -> new ApiException(HttpStatus.NOT_FOUND, "not-found", "no conflict " + id));
  }

  @PostMapping("/{id}/resolve")
  public Map<String, Object> resolve(
      @PathVariable long id, @RequestBody Decision decision, HttpServletRequest request) {
    return resolution.resolve(
        id,
        decision == null ? null : decision.choose(),
        decision == null ? null : decision.note(),
        decision == null ? null : decision.data(),
        Actors.of(request));
  }
}
