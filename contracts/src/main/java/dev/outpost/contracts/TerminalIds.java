package dev.outpost.contracts;

import java.util.regex.Pattern;

/** Terminal ids end up in broker addresses and user names, so they are a strict lower-case form. */
public final class TerminalIds {
  private static final Pattern VALID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

  private TerminalIds() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  public static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          "terminal id must match " + VALID.pattern() + ", got: " + id);
    }
    return id;
  }
}
