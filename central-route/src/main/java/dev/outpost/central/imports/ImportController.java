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
import java.util.Set;
import java.util.TreeSet;
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
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/**
 * /api/v1/imports: upload a day file, as the raw JSON request body or as the part {@code file} of a
 * multipart/form-data body (a browser form, {@code curl -F file=@day.json}). By default the answer
 * waits for the import and carries the counts and the completeness check; {@code ?async=true}
 * answers 202 at once and the progress is at GET /api/v1/imports/{id}. A refused file: 422 with the
 * reason (and an import row saying so); nothing was applied.
 */
@RestController
@RequestMapping("/api/v1/imports")
public class ImportController {
  static final String FILE_PART = "file";
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
    MultipartHttpServletRequest multipart =
        WebUtils.getNativeRequest(http, MultipartHttpServletRequest.class);
    byte[] content;
    if (multipart != null) {
      MultipartFile file = filePart(multipart);
      content = readLimited(file.getInputStream(), settings.maxBytes());
      name = name == null || name.isBlank() ? file.getOriginalFilename() : name;
    } else {
      content = readLimited(http.getInputStream(), settings.maxBytes());
    }
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

  /** The one part {@code file}; a form without it is told which parts it did send. */
  private static MultipartFile filePart(MultipartHttpServletRequest multipart) {
    MultipartFile file = multipart.getFile(FILE_PART);
    if (file == null) {
      Set<String> sent = new TreeSet<>(multipart.getFileMap().keySet());
      sent.addAll(multipart.getParameterMap().keySet());
      throw new IllegalArgumentException(
          sent.isEmpty()
              ? "the multipart body has no part: send the day file as the part \"file\""
                  + " (curl -F file=@day.json)"
              : "no part named \"file\" (got "
                  + String.join(", ", sent)
                  + "): send the day file as the part \"file\" (curl -F file=@day.json)");
    }
    if (file.isEmpty()) {
      throw new IllegalArgumentException(
          "the uploaded file"
              + (file.getOriginalFilename() == null || file.getOriginalFilename().isBlank()
                  ? ""
                  : " " + file.getOriginalFilename())
              + " is empty");
    }
    return file;
  }

  /** Parts are read lazily (spring.servlet.multipart.resolve-lazily), so these reach here. */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<String> badMultipart(MultipartException e, HttpServletRequest request) {
    if (e instanceof MaxUploadSizeExceededException) {
      return ApiProblems.problem(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "too-large",
          "the file is larger than " + settings.maxBytes() + " bytes (outpost.imports.max-bytes)",
          request);
    }
    return ApiProblems.problem(
        HttpStatus.BAD_REQUEST,
        "bad-request",
        "the multipart/form-data body could not be read (a truncated or malformed upload)",
        request);
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
