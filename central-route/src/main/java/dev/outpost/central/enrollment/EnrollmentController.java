package dev.outpost.central.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enrolling and revoking terminals (ops only): {@code POST /api/v1/terminals} with {@code
 * {"terminalId": "bar-2", "scope": {...}}} answers the enrollment file; {@code POST
 * /api/v1/terminals/{id}/revoke} revokes. The list is {@code GET /api/v1/terminals}.
 */
@RestController
public class EnrollmentController {
  private final EnrollmentService service;
  private final EnrollmentRepository enrollments;

  public EnrollmentController(EnrollmentService service, EnrollmentRepository enrollments) {
    this.service = service;
    this.enrollments = enrollments;
  }

  @PostMapping(path = "/api/v1/terminals", produces = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.CREATED)
  public ObjectNode enroll(@RequestBody JsonNode body, HttpServletRequest http) {
    String id = body.path("terminalId").asText(null);
    if (id == null) {
      throw new IllegalArgumentException(
          "give {\"terminalId\": \"bar-2\"} (optionally \"scope\": {...})");
    }
    return service.enroll(id, body.get("scope"), Actors.of(http));
  }

  @PostMapping("/api/v1/terminals/{terminalId}/revoke")
  public Map<String, Object> revoke(@PathVariable String terminalId, HttpServletRequest http) {
    service.revoke(terminalId, Actors.of(http));
    return Map.of("terminalId", terminalId, "revoked", true);
  }

  @GetMapping("/api/v1/terminals/{terminalId}")
  public EnrollmentRepository.Enrolled one(@PathVariable String terminalId) {
    return enrollments
        .find(terminalId)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND,
                    "unknown-terminal",
                    "terminal " + terminalId + " is not enrolled"));
  }
}
