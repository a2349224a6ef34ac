package dev.outpost.contracts;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text no PostgreSQL column can hold as sent, found anywhere in a document (values and field
 * names): U+0000, which jsonb and text refuse (at central it came out as POISON, as if central were
 * at fault), and an unpaired surrogate, which is no Unicode text (UTF-8 cannot encode it). A
 * sender's mistake that can never succeed: the terminal refuses it with 400 and central with
 * SCHEMA_INVALID, both naming the pointer.
 */
public final class StorableText {
  private StorableText() {}

  /** The first unstorable string, or null when every string can be stored. */
  public static Violation firstUnstorable(JsonNode doc) {
    return find(doc, "");
  }

  private static Violation find(JsonNode node, String pointer) {
    if (node.isTextual()) {
      String why = why(node.textValue());
      return why == null ? null : new Violation(pointer, why);
    }
    if (node.isObject()) {
      for (var e : node.properties()) {
        String at = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
        String why = why(e.getKey());
        Violation found =
            why != null ? new Violation(at, "field name with " + why) : find(e.getValue(), at);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Violation found = find(node.get(i), pointer + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String why(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return "U+0000 in a string (PostgreSQL cannot store it)";
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "an unpaired surrogate in a string (not Unicode text)";
      }
    }
    return null;
  }
}
