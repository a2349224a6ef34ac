package dev.outpost.contracts;

import java.util.Map;
import java.util.Set;

/** Operation types the platform ships and the schema versions central accepts for each. */
public final class OperationTypes {
  public static final String SALE_RECORDED = "sale.recorded";
  public static final String ACCESS_RECORDED = "access.recorded";
  public static final String MATCH_EVENT_RECORDED = "match-event.recorded";
  public static final String BOX_OFFICE_SALE_RECORDED = "box-office.sale.recorded";
  public static final String RECORD_UPSERTED = "record.upserted";
  public static final String RECORD_DELETED = "record.deleted";
  public static final String STOCK_ADJUSTED = "stock.adjusted";

  /** type -> accepted schema versions; a payload schema file exists for each pair. */
  public static final Map<String, Set<Integer>> SUPPORTED =
      Map.of(
          SALE_RECORDED, Set.of(1),
          ACCESS_RECORDED, Set.of(1),
          MATCH_EVENT_RECORDED, Set.of(1),
          BOX_OFFICE_SALE_RECORDED, Set.of(1),
          RECORD_UPSERTED, Set.of(1),
          RECORD_DELETED, Set.of(1),
          STOCK_ADJUSTED, Set.of(1));

  /**
   * Default priority lane of each type: money and gates must not wait behind catalogue edits in a
   * long backlog. Terminals may override the mapping by configuration; types that touch the same
   * entity must share a lane (per-entity order is guaranteed only within a lane).
   */
  public static final Map<String, Lane> DEFAULT_LANES =
      Map.of(
          SALE_RECORDED, Lane.CRITICAL,
          BOX_OFFICE_SALE_RECORDED, Lane.CRITICAL,
          ACCESS_RECORDED, Lane.CRITICAL,
          MATCH_EVENT_RECORDED, Lane.NORMAL,
          STOCK_ADJUSTED, Lane.NORMAL,
          RECORD_UPSERTED, Lane.BULK,
          RECORD_DELETED, Lane.BULK);

  public static final int DEFAULT_SCHEMA_VERSION = 1;

  private OperationTypes() {}

  public static boolean isKnownType(String type) {
    return SUPPORTED.containsKey(type);
  }

  public static Lane defaultLane(String type) {
    return DEFAULT_LANES.getOrDefault(type, Lane.NORMAL);
  }

  public static boolean isSupported(String type, int version) {
    return SUPPORTED.getOrDefault(type, Set.of()).contains(version);
  }
}
