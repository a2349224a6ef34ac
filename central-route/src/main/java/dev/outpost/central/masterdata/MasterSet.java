package dev.outpost.central.masterdata;

import dev.outpost.contracts.MasterDataSets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The master tables and what the admin API may write in each. All SQL of this feature is built once
 * from these constants, never from request content; values are always bound parameters.
 */
enum MasterSet {
  PRODUCTS(
      MasterDataSets.PRODUCTS,
      "products",
      "id",
      null,
      List.of(
          col("name", Kind.TEXT, true),
          col("price", Kind.DECIMAL, true),
          col("available", Kind.BOOL, false))),
  MEMBERS(
      MasterDataSets.MEMBERS,
      "members",
      "id",
      null,
      List.of(col("name", Kind.TEXT, true), col("active", Kind.BOOL, false))),
  // Terminals get visits opened in the last days only; consumed is central's own figure (ingest).
  VISITS(
      MasterDataSets.VISITS,
      "visits",
      "id",
      "opened_at >= :since",
      List.of(
          col("bracelet_id", Kind.TEXT, true),
          col("member_id", Kind.TEXT, false),
          col("opened_at", Kind.TIMESTAMP, true),
          col("closed_at", Kind.TIMESTAMP, false))),
  MATCHES(
      MasterDataSets.MATCHES,
      "matches",
      "id",
      null,
      List.of(
          col("name", Kind.TEXT, true),
          col("home_team", Kind.TEXT, true),
          col("away_team", Kind.TEXT, true),
          col("starts_at", Kind.TIMESTAMP, true))),
  ACCREDITATIONS(
      MasterDataSets.ACCREDITATIONS,
      "accreditations",
      "qr_code",
      null,
      List.of(
          col("holder", Kind.TEXT, true),
          col("match_id", Kind.TEXT, true),
          col("kind", Kind.TEXT, true),
          col("revoked", Kind.FLAG, false))),
  PLAYERS(
      MasterDataSets.PLAYERS,
      "players",
      "id",
      null,
      List.of(
          col("team", Kind.TEXT, true),
          col("name", Kind.TEXT, true),
          col("shirt_number", Kind.INT, false))),
  TICKET_TYPES(
      MasterDataSets.TICKET_TYPES,
      "ticket_types",
      "id",
      null,
      List.of(
          col("name", Kind.TEXT, true),
          col("price", Kind.DECIMAL, true),
          col("match_id", Kind.TEXT, false),
          col("available", Kind.BOOL, false))),
  OPERATORS(
      MasterDataSets.OPERATORS,
      "operators",
      "id",
      null,
      List.of(
          col("name", Kind.TEXT, true),
          col("roles", Kind.TEXT, true),
          col("pin_hash", Kind.TEXT, true),
          col("active", Kind.BOOL, false)));

  /** BOOL defaults to true when absent, FLAG to false. */
  enum Kind {
    TEXT,
    DECIMAL,
    BOOL,
    FLAG,
    INT,
    TIMESTAMP
  }

  record Column(String name, Kind kind, boolean required) {
    String json() {
      return MasterRows.camel(name);
    }
  }

  final String setName;
  final String table;
  final String idColumn;

  /** Extra condition (named parameters only) limiting what terminals get, or null. */
  final String scope;

  final List<Column> columns;

  final String listSql;
  final String findSql;
  final String snapshotSql;
  final String checksumSql;
  final String upsertSql;
  final String softDeleteSql;

  MasterSet(String setName, String table, String idColumn, String scope, List<Column> columns) {
    this.setName = setName;
    this.table = table;
    this.idColumn = idColumn;
    this.scope = scope;
    this.columns = columns;
    String live = " where not t.deleted";
    String scoped = live + (scope == null ? "" : " and t." + scope);
    this.listSql =
        "select to_jsonb(t)::text from " + table + " t" + live + " order by t." + idColumn;
    this.findSql = "select to_jsonb(t)::text from " + table + " t where t." + idColumn + " = :id";
    this.snapshotSql = "select to_jsonb(t)::text from " + table + " t" + scoped;
    // collate "C": byte order, the same order the terminal sorts ids in.
    this.checksumSql =
        "select count(*) as n, md5(coalesce(string_agg(t."
            + idColumn
            + " || ':' || t.version, ','"
            + " order by t."
            + idColumn
            + " collate \"C\"), '')) as hash from "
            + table
            + " t"
            + scoped;
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String params = columns.stream().map(c -> ":" + c.name()).collect(Collectors.joining(", "));
    String updates =
        columns.stream()
            .map(c -> c.name() + " = excluded." + c.name())
            .collect(Collectors.joining(", "));
    this.upsertSql =
        "insert into "
            + table
            + " ("
            + idColumn
            + ", "
            + names
            + ", deleted) values (:id, "
            + params
            + ", false)"
            + " on conflict ("
            + idColumn
            + ") do update set "
            + updates
            + ", deleted = false";
    this.softDeleteSql =
        "update " + table + " set deleted = true where " + idColumn + " = :id and not deleted";
  }

  private static Column col(String name, Kind kind, boolean required) {
    return new Column(name, kind, required);
  }

  static Optional<MasterSet> of(String setName) {
    return Arrays.stream(values()).filter(s -> s.setName.equals(setName)).findFirst();
  }
}
