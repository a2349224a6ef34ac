package dev.outpost.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The day file's checksum and signature (schema {@code day-file.v1.json}), shared by the terminal
 * that writes it and central that verifies it. Both are computed over the canonical form of the
 * document without {@code checksum} and {@code signature}: object keys sorted, no whitespace,
 * UTF-8, numbers exactly as {@link Contracts#mapper()} reads them (3.50 stays 3.50). So
 * re-indenting the file does not break it, while changing any value does.
 */
public final class DayFiles {
  public static final String FORMAT = "outpost.day-file";
  public static final int FORMAT_VERSION = 1;
  public static final String KEY_ALGORITHM = "Ed25519";
  public static final String CHECKSUM_ALGORITHM = "SHA-256";

  private DayFiles() {}

  /** The bytes the checksum and the signature cover. */
  public static byte[] canonicalContent(JsonNode file) {
    ObjectNode content = ((ObjectNode) file).deepCopy();
    content.remove("checksum");
    content.remove("signature");
    try {
      return Contracts.mapper().writeValueAsBytes(sorted(content));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds checksum and signature to a complete file (everything else already in place). */
  public static ObjectNode seal(ObjectNode file, PrivateKey key) {
    byte[] content = canonicalContent(file);
    file.putObject("checksum")
        .put("algorithm", CHECKSUM_ALGORITHM)
        .put("value", sha256Hex(content));
    try {
      Signature s = Signature.getInstance(KEY_ALGORITHM);
      s.initSign(key);
      s.update(content);
      file.putObject("signature")
          .put("algorithm", KEY_ALGORITHM)
          .put("value", Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the day file", e);
    }
    return file;
  }

  /**
   * Why the file cannot be trusted, or an empty list when its structure, checksum and signature (by
   * {@code registeredKey}) are all right.
   */
  public static List<String> problems(JsonNode file, PublicKey registeredKey) {
    List<String> problems = new ArrayList<>();
    for (Violation v : new OperationValidator().validateDayFile(file)) {
      problems.add("structure: " + v.pointer() + " " + v.message());
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    byte[] content = canonicalContent(file);
    if (!sha256Hex(content).equals(file.path("checksum").path("value").asText())) {
      problems.add("checksum mismatch: the content was changed after export");
    }
    try {
      Signature s = Signature.getInstance(KEY_ALGORITHM);
      s.initVerify(registeredKey);
      s.update(content);
      if (!s.verify(Base64.getDecoder().decode(file.path("signature").path("value").asText()))) {
        problems.add(
            "signature does not verify with the key registered for terminal "
                + file.path("terminalId").asText());
      }
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      problems.add("signature unreadable: " + e.getMessage());
    }
    return problems;
  }

  /** A public key as the terminal publishes it (X.509 SubjectPublicKeyInfo, base64). */
  public static PublicKey publicKey(String base64) {
    try {
      return KeyFactory.getInstance(KEY_ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "not an " + KEY_ALGORITHM + " public key (X.509, base64): " + e.getMessage(), e);
    }
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 fingerprint of a public key's encoded form, for people comparing keys. */
  public static String fingerprint(String publicKeyBase64) {
    return sha256Hex(publicKey(publicKeyBase64).getEncoded()).substring(0, 32);
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(null);
      for (String n : names) {
        out.set(n, sorted(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(e -> out.add(sorted(e)));
      return out;
    }
    return node;
  }

  /** X.509 SubjectPublicKeyInfo, base64: the form terminals publish and central registers. */
  public static String encode(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }
}
