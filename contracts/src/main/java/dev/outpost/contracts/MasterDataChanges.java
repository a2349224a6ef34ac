package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * The master-data changes of one outbox batch for one terminal, in one message ({@code {"changes":
 * [...]}}): central coalesces the changes of a record to its latest version and the terminal
 * applies the whole message in one transaction. A single {@link MasterDataChange} object (what
 * central sent before batching) reads as a batch of one.
 */
public record MasterDataChanges(@JsonProperty("changes") List<MasterDataChange> changes) {

  /** Reads either shape: {@code {"changes": [...]}} or one change. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static MasterDataChanges read(com.fasterxml.jackson.databind.JsonNode doc) {
    try {
      if (doc != null && doc.isObject() && doc.has("changes")) {
        return new MasterDataChanges(
            Arrays.asList(
                Contracts.mapper().treeToValue(doc.get("changes"), MasterDataChange[].class)));
      }
      return new MasterDataChanges(
          List.of(Contracts.mapper().treeToValue(doc, MasterDataChange.class)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("not master-data changes: " + e.getOriginalMessage(), e);
    }
  }
}
