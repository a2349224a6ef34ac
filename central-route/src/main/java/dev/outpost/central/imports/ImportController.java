package dev.outpost.central.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.api.Actors;
import dev.outpost.central.api.ApiProblems;
import dev.outpost.support.ProblemResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * /api/v1/imports: upload a day file (the raw JSON as the request body). By default the answer
 * waits for the import and carries the counts and the completeness check; {@code ?async=true}
 * answers 202 at once and the progress is at GET /api/v1/imports/{id}. A refused file: 422 with the
 * reason (and an import row saying so); nothing was applied.
 */
@RestController
@RequestMapping("/api/v1/imports")
public class ImportController {
  private final DayFileImporter importer;
  private final ImportSettings settings;

  public ImportController(DayFileImporter importer, ImportSettings settings) {
    this.importer = importer;
    this.settings = settings;
  }

  @PostMapping
  public ResponseEntity<ImportReport> upload(
      @RequestParam(required = false) String name,
      @RequestParam(defaultValue = "false") boolean async,
      HttpServletRequest http)
      throws IOException {
    byte[] content = readLimited(http.getInputStream(), settings.maxBytes());
    String fileName =
        name == null || name.isBlank() ? null : name.replaceAll("[^A-Za-z0-9._-]", "_");
    ImportReport report = importer.submit(content, fileName, "upload", Actors.of(http), !async);
    return ResponseEntity.status(async ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .location(URI.create("/api/v1/imports/" + report.id()))
        .body(report);
  }

  @GetMapping("/{id}")
  public ImportReport get(@PathVariable String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an import id is a UUID");
    }
    return importer
        .report(uuid.toString())
        .orElseThrow(
            () ->
                new ApiProblems.ApiException(
                    HttpStatus.NOT_FOUND, "unknown-import", "no import " + id));
  }

  @GetMapping
  public List<ImportReport> recent(@RequestParam(defaultValue = "50") int limit) {
    return importer.recent(limit);
  }

  @ExceptionHandler(DayFileImporter.Refused.class)
  ResponseEntity<String> refused(DayFileImporter.Refused e, HttpServletRequest request) {
    ObjectNode doc =
        ApiProblems.document(
            HttpStatus.UNPROCESSABLE_ENTITY, "day-file-refused", e.getMessage(), request);
    doc.put("title", "Day file refused");
    doc.put("importId", e.importId());
    return ProblemResponse.entity(doc);
  }

  private static byte[] readLimited(InputStream in, long max) throws IOException {
    byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (data.length > max) {
      throw new ApiProblems.ApiException(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "too-large",
          "the file is larger than " + max + " bytes (outpost.imports.max-bytes)");
    }
    if (data.length == 0) {
      throw new IllegalArgumentException("send the day file as the request body");
    }
    return data;
  }
}
