package dev.outpost.central.api;

import dev.outpost.contracts.ApiDocument;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/v1/openapi.yaml: central's admin API document exactly as the contracts jar ships it
 * ({@link ApiDocument#CENTRAL_ADMIN}); /api/v1/openapi.json: the same as JSON, for tools without a
 * YAML parser. Read once at start-up, so a jar without the document does not start.
 */
@RestController
public class ApiDocumentController {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");

  private final ApiDocument document = ApiDocument.load(ApiDocument.CENTRAL_ADMIN);

  @GetMapping("/api/v1/openapi.yaml")
  public ResponseEntity<String> yaml() {
    return ResponseEntity.ok().contentType(YAML).body(document.yaml());
  }

  @GetMapping("/api/v1/openapi.json")
  public ResponseEntity<String> json() {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document.json());
  }
}
