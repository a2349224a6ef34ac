package dev.outpost.central.deadletter;

import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.RejectReason;
import dev.outpost.contracts.TerminalIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which dead letters to list. Every value is validated here before it becomes part of a JMS
 * selector, so nothing a caller sends is ever spliced into the selector unchecked.
 *
 * @param from dead-lettered at or after (the dead letter's JMSTimestamp)
 * @param to dead-lettered before
 */
public record DeadLetterFilter(
    RejectReason reason, String terminalId, String type, Instant from, Instant to) {
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9.-]{0,99}");

  /** Artemis message ids are "ID:" + a UUID. */
  private static final Pattern MESSAGE_ID =
      Pattern.compile(
          "ID:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null, null);

  /** Parses and checks the text form (REST query, CLI, JMX); blank means "any". */
  public static DeadLetterFilter parse(
      String reason, String terminalId, String type, String from, String to) {
    RejectReason r = null;
    if (present(reason)) {
      try {
        r = RejectReason.valueOf(reason.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "reason must be one of " + List.of(RejectReason.values()));
      }
    }
    if (present(terminalId) && !TerminalIds.isValid(terminalId.trim())) {
      throw new IllegalArgumentException("terminal must be a terminal id ([a-z0-9-])");
    }
    if (present(type) && !TYPE.matcher(type.trim()).matches()) {
      throw new IllegalArgumentException("type must look like sale.recorded");
    }
    return new DeadLetterFilter(
        r,
        present(terminalId) ? terminalId.trim() : null,
        present(type) ? type.trim() : null,
        instant(from, "from"),
        instant(to, "to"));
  }

  /** The JMS selector, or null for "everything". Built only from the checked values above. */
  public String selector() {
    List<String> parts = new ArrayList<>();
    if (reason != null) {
      // The broker's own dead letters (max-delivery-attempts) carry no reason: they are POISON.
      parts.add(
          reason == RejectReason.POISON
              ? "("
                  + Destinations.HDR_REASON
                  + " = 'POISON' OR "
                  + Destinations.HDR_REASON
                  + " IS NULL)"
              : Destinations.HDR_REASON + " = '" + reason.name() + "'");
    }
    if (terminalId != null) {
      parts.add(Destinations.HDR_TERMINAL_ID + " = '" + TerminalIds.require(terminalId) + "'");
    }
    if (type != null) {
      parts.add(Destinations.HDR_TYPE + " = '" + type + "'");
    }
    if (from != null) {
      parts.add("JMSTimestamp >= " + from.toEpochMilli());
    }
    if (to != null) {
      parts.add("JMSTimestamp < " + to.toEpochMilli());
    }
    return parts.isEmpty() ? null : String.join(" AND ", parts);
  }

  /** Selector for exactly one message; the id is checked against Artemis's id format first. */
  public static String byMessageId(String messageId) {
    return "JMSMessageID = '" + requireMessageId(messageId) + "'";
  }

  /** Accepts "ID:uuid" or the bare uuid (as REST paths carry it); returns "ID:uuid". */
  public static String requireMessageId(String id) {
    String full = id != null && !id.startsWith("ID:") ? "ID:" + id : id;
    if (full == null || !MESSAGE_ID.matcher(full).matches()) {
      throw new IllegalArgumentException("not a dead-letter id (a UUID, optionally prefixed ID:)");
    }
    return full;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static Instant instant(String s, String name) {
    if (!present(s)) {
      return null;
    }
    try {
      return s.trim().length() == 10
          ? java.time.LocalDate.parse(s.trim()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
          : Instant.parse(s.trim());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          name + " must be an instant like 2026-11-23T21:00:00Z or a date like 2026-11-23");
    }
  }
}
