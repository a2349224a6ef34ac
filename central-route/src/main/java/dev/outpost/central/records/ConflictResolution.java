package dev.outpost.central.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.central.api.ApiProblems.ApiException;
import dev.outpost.contracts.Contracts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A person's decision on a conflict held by the MANUAL policy, in one transaction. Choosing
 * INCOMING writes the terminal's version as a new central version (so the record's version still
 * only grows); choosing STORED keeps what central has; MERGED writes the fields the person merged
 * from the two (a JSON object) the same way. Who decided and when is kept on the row.
 */
@Service
public class ConflictResolution {
  private final ConflictRepository conflicts;

  public ConflictResolution(ConflictRepository conflicts) {
    this.conflicts = conflicts;
  }

  @Transactional
  public Map<String, Object> resolve(
      long id, String choose, String note, JsonNode merged, String who) {
    String choice = choose == null ? "" : choose.toUpperCase();
    if (!List.of("INCOMING", "STORED", "MERGED").contains(choice)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "bad-decision", "choose must be INCOMING, STORED or MERGED");
    }
    boolean merging = "MERGED".equals(choice);
    if (merging != (merged != null && !merged.isNull())) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "bad-decision",
          merging
              ? "MERGED needs data: the record's fields as a JSON object"
              : "data goes only with MERGED");
    }
    if (merging && !merged.isObject()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "bad-decision", "data must be a JSON object of the fields");
    }
    ConflictRepository.Held held =
        conflicts
            .lock(id)
            .orElseThrow(
                () -> new ApiException(HttpStatus.NOT_FOUND, "not-found", "no conflict " + id));
    if (!"OPEN".equals(held.status())) {
      throw new ApiException(
          HttpStatus.CONFLICT, "already-resolved", "conflict " + id + " is already resolved");
    }
    if ("INCOMING".equals(choice)) {
      applyIncoming(held.entity(), held.recordId(), held.incoming());
    } else if (merging) {
      decide(held.entity(), held.recordId(), (ObjectNode) merged, false);
    }
    conflicts.markResolved(id, choice, who, note);
    return conflicts.find(id).orElseThrow();
  }

  private void applyIncoming(String entity, UUID recordId, String incomingJson) {
    JsonNode incoming;
    try {
      incoming = Contracts.mapper().readTree(incomingJson);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    ObjectNode data =
        incoming.path("data").isObject()
            ? (ObjectNode) incoming.get("data")
            : JsonNodeFactory.instance.objectNode();
    decide(entity, recordId, data, incoming.path("deleted").asBoolean(false));
  }

  /** A person's decision is a new version, newer than anything stored. */
  private void decide(String entity, UUID recordId, ObjectNode data, boolean deleted) {
    conflicts.writeDecision(
        entity,
        recordId,
        data,
        deleted,
        new RecordVersion(Instant.now(), "central", UUID.randomUUID()));
  }
}
