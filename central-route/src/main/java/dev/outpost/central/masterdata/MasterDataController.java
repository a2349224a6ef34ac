package dev.outpost.central.masterdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.support.ProblemResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Central's master-data HTTP API: the admin API ({@code /api/v1/masterdata/{set}}) to list, create
 * or replace and delete records, and the sync API terminals pull snapshots and checksums from
 * ({@code /api/v1/masterdata-sync/...}; {@code TerminalSelfFilter} makes a terminal name itself in
 * {@code ?terminal=}). Writes go to PostgreSQL only; the triggers and the outbox route carry them
 * to the terminals like any other application's writes. Bodies are written with {@code
 * Contracts.mapper()} (exact decimals), so they pass through as text.
 */
@RestController
public class MasterDataController {
  static final String BASE = "/api/v1/masterdata";
  static final String SYNC_BASE = "/api/v1/masterdata-sync";

  private final MasterDataService service;

  public MasterDataController(MasterDataService service) {
    this.service = service;
  }

  @GetMapping(BASE + "/{set}")
  public ResponseEntity<String> list(@PathVariable String set) {
    return ok(service.list(set));
  }

  @GetMapping(BASE + "/{set}/{id}")
  public ResponseEntity<String> find(@PathVariable String set, @PathVariable String id) {
    return ok(service.find(set, id));
  }

  /** Creates or replaces the record (and undeletes it); answers it as stored. */
  @PutMapping(BASE + "/{set}/{id}")
  public ResponseEntity<String> upsert(
      @PathVariable String set,
      @PathVariable String id,
      @RequestBody(required = false) String body) {
    return ok(service.upsert(set, id, body));
  }

  /** Soft delete: terminals get a tombstone. */
  @DeleteMapping(BASE + "/{set}/{id}")
  public ResponseEntity<Void> delete(@PathVariable String set, @PathVariable String id) {
    if (!service.delete(set, id)) {
      throw new MasterDataException(404, "no live " + set + " record " + id);
    }
    return ResponseEntity.noContent().build();
  }

  @GetMapping(SYNC_BASE + "/snapshots/{set}")
  public ResponseEntity<String> snapshot(
      @PathVariable String set, @RequestParam(required = false) String terminal) {
    return ok(service.snapshot(set, terminal));
  }

  @GetMapping(SYNC_BASE + "/checksums")
  public ResponseEntity<String> checksums(
      @RequestParam(required = false) String terminal,
      @RequestParam(required = false) String visitsSince) {
    return ok(service.checksums(terminal, visitsSince));
  }

  @ExceptionHandler(MasterDataException.class)
  ResponseEntity<String> refused(MasterDataException e) {
    return problem(e.status, e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> badRequest(IllegalArgumentException e) {
    return problem(400, e.getMessage());
  }

  private static ResponseEntity<String> ok(String json) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
  }

  private static ResponseEntity<String> problem(int status, String detail) {
    ObjectNode doc =
        ProblemResponse.document(
            status, "masterdata", status == 404 ? "Not found" : "Refused", detail);
    return ProblemResponse.entity(doc);
  }
}
