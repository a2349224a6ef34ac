package dev.outpost.contracts;

import java.util.List;

/** Names of the master-data sets central sends down to terminals. */
public final class MasterDataSets {
  public static final String PRODUCTS = "products";
  public static final String MEMBERS = "members";
  public static final String VISITS = "visits";
  public static final String MATCHES = "matches";
  public static final String ACCREDITATIONS = "accreditations";
  public static final String PLAYERS = "players";
  public static final String TICKET_TYPES = "ticket-types";
  public static final String OPERATORS = "operators";

  public static final List<String> ALL =
      List.of(PRODUCTS, MEMBERS, VISITS, MATCHES, ACCREDITATIONS, PLAYERS, TICKET_TYPES, OPERATORS);

  /** Terminals keep visits opened within this many days; older ones are neither sent nor kept. */
  public static final int VISIT_SCOPE_DAYS = 3;

  private MasterDataSets() {}

  public static boolean isKnown(String set) {
    return ALL.contains(set);
  }
}
