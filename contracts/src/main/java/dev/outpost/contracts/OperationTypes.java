package dev.outpost.contracts;

import java.util.Map;
import java.util.Set;

/** Operation types the platform ships and the schema versions central accepts for each. */
public final class OperationTypes {
  public static final String SALE_RECORDED = "sale.recorded";
  public static final String ACCESS_RECORDED = "access.recorded";
  public static final String MATCH_EVENT_RECORDED = "match-event.recorded";

  /** type -> accepted schema versions; a payload schema file exists for each pair. */
  public static final Map<String, Set<Integer>> SUPPORTED =
      Map.of(
          SALE_RECORDED, Set.of(1),
          ACCESS_RECORDED, Set.of(1),
          MATCH_EVENT_RECORDED, Set.of(1));

  public static final int DEFAULT_SCHEMA_VERSION = 1;

  private OperationTypes() {}

  public static boolean isKnownType(String type) {
    return SUPPORTED.containsKey(type);
  }

  public static boolean isSupported(String type, int version) {
    return SUPPORTED.getOrDefault(type, Set.of()).contains(version);
  }
}
