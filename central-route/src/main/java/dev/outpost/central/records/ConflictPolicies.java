package dev.outpost.central.records;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The conflict policy of each entity, from configuration (no code change):
 * OUTPOST_CONFLICT_POLICIES as {@code customer=LAST_WRITE_WINS,supplier=MANUAL}, and
 * OUTPOST_CONFLICT_DEFAULT for the rest. An unknown policy name stops start-up with a message
 * naming it.
 */
@Component
public class ConflictPolicies {
  private final ConflictPolicy fallback;
  private final Map<String, ConflictPolicy> byEntity;

  public ConflictPolicies(
      @Value("${outpost.conflicts.default-policy:LAST_WRITE_WINS}") String fallback,
      @Value("${outpost.conflicts.policies:}") String policies) {
    this.fallback = parse(fallback, "outpost.conflicts.default-policy");
    this.byEntity = parseAll(policies);
  }

  public ConflictPolicy of(String entity) {
    return byEntity.getOrDefault(entity, fallback);
  }

  static Map<String, ConflictPolicy> parseAll(String spec) {
    Map<String, ConflictPolicy> out = new HashMap<>();
    if (spec == null || spec.isBlank()) {
      return Map.of();
    }
    for (String pair : spec.split(",")) {
      String[] kv = pair.trim().split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException(
            "outpost.conflicts.policies: expected entity=POLICY, got '" + pair.trim() + "'");
      }
      out.put(kv[0].trim(), parse(kv[1], "outpost.conflicts.policies for " + kv[0].trim()));
    }
    return Map.copyOf(out);
  }

  private static ConflictPolicy parse(String name, String setting) {
    try {
      return ConflictPolicy.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting
              + ": unknown conflict policy '"
              + name
              + "' (one of LAST_WRITE_WINS, CENTRAL_WINS, MERGE, REJECT, MANUAL)");
    }
  }
}
