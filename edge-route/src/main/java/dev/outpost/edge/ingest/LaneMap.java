package dev.outpost.edge.ingest;

import dev.outpost.contracts.Lane;
import dev.outpost.contracts.OperationTypes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which priority lane each operation type travels in: the contract's defaults (sales, box office
 * and gate scans critical; match events and stock normal; generic records bulk), overridden by
 * OUTPOST_LANES, e.g. {@code stock.adjusted=bulk}. Types that touch the same entity must share a
 * lane: order is kept per lane. An unknown lane stops start-up naming it.
 */
@Component
public class LaneMap {
  private final Map<String, Lane> overrides;

  public LaneMap(@Value("${outpost.lanes:}") String spec) {
    Map<String, Lane> out = new HashMap<>();
    if (spec != null && !spec.isBlank()) {
      for (String pair : spec.split(",")) {
        String[] kv = pair.trim().split("=", 2);
        if (kv.length != 2 || !OperationTypes.isKnownType(kv[0].trim())) {
          throw new IllegalArgumentException(
              "outpost.lanes: expected <known type>=<lane>, got '" + pair.trim() + "'");
        }
        try {
          out.put(kv[0].trim(), Lane.valueOf(kv[1].trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "outpost.lanes: unknown lane '" + kv[1].trim() + "' (critical, normal or bulk)");
        }
      }
    }
    this.overrides = Map.copyOf(out);
  }

  public Lane of(String type) {
    return overrides.getOrDefault(type, OperationTypes.defaultLane(type));
  }
}
