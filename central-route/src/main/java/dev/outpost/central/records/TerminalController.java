package dev.outpost.central.records;

import dev.outpost.central.api.ApiProblems.ApiException;
import dev.outpost.central.enrollment.Fleet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read side of central's state for people: which terminal is behind (last sequence, last seen, gaps
 * in its sequence) and a generic record with its version.
 */
@RestController
public class TerminalController {
  private final RecordRepository records;
  private final Fleet fleet;

  public TerminalController(RecordRepository records, Fleet fleet) {
    this.records = records;
    this.fleet = fleet;
  }

  @GetMapping("/api/v1/terminals")
  public List<Map<String, Object>> terminals() {
    return fleet.list();
  }

  @GetMapping("/api/v1/records/{entity}/{id}")
  public Map<String, Object> record(@PathVariable String entity, @PathVariable UUID id) {
    return records
        .find(entity, id)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.NOT_FOUND, "not-found", "no " + entity + " record " + id));
  }
}
