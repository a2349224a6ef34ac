package dev.outpost.system.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one terminal's edge promised: every operationId it answered 202 for, with the sequence it
 * gave, plus every id the test ever sent (a row for an id never sent is a phantom).
 */
public final class Acks {
  private final Map<String, Long> acknowledged = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Set<String> sent = Collections.synchronizedSet(new LinkedHashSet<>());

  public void sent(String operationId) {
    sent.add(operationId);
  }

  /**
   * Records a 202 answer {@code {operationId, sequence, status}}; fails on a second, different
   * answer.
   */
  public void acknowledged(JsonNode answer) {
    String id = answer.path("operationId").asText();
    if (id.isEmpty() || !answer.path("sequence").canConvertToLong()) {
      throw new AssertionError("202 without operationId/sequence: " + answer);
    }
    acknowledged(id, answer.path("sequence").asLong());
  }

  public void acknowledged(String operationId, long sequence) {
    sent.add(operationId);
    Long before = acknowledged.putIfAbsent(operationId, sequence);
    if (before != null && before != sequence) {
      throw new AssertionError(
          "edge gave " + operationId + " sequence " + sequence + " after " + before);
    }
  }

  public Map<String, Long> acknowledged() {
    synchronized (acknowledged) {
      return Map.copyOf(acknowledged);
    }
  }

  public Set<String> sent() {
    synchronized (sent) {
      return Set.copyOf(sent);
    }
  }

  public int size() {
    return acknowledged.size();
  }
}
