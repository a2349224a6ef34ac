package dev.outpost.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal's enrollment file as central writes it (schema {@code schemas/enrollment.v1.json}):
 * everything a terminal needs to start against central. It holds the terminal's secret: keep it
 * readable by the terminal's owner only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollmentFile(
    int enrollmentVersion,
    String terminalId,
    String enrolledAt,
    String brokerUrl,
    String brokerUser,
    String brokerPassword,
    String caCertificate,
    String centralHttpUrl,
    String httpUser,
    String httpPassword,
    JsonNode scope,
    boolean sandbox) {

  /** Reads and checks a file; the message names every missing field. */
  public static EnrollmentFile read(Path file) throws IOException {
    EnrollmentFile e = Contracts.mapper().readValue(Files.readAllBytes(file), EnrollmentFile.class);
    List<String> missing = new ArrayList<>();
    if (e.enrollmentVersion != 1) {
      missing.add("enrollmentVersion (must be 1)");
    }
    if (!TerminalIds.isValid(e.terminalId)) {
      missing.add("terminalId");
    }
    for (String[] f :
        new String[][] {
          {"brokerUrl", e.brokerUrl},
          {"brokerUser", e.brokerUser},
          {"brokerPassword", e.brokerPassword},
          {"caCertificate", e.caCertificate},
          {"centralHttpUrl", e.centralHttpUrl},
          {"httpUser", e.httpUser},
          {"httpPassword", e.httpPassword}
        }) {
      if (f[1] == null || f[1].isBlank()) {
        missing.add(f[0]);
      }
    }
    if (!missing.isEmpty()) {
      throw new IOException(
          "enrollment file " + file + " lacks or has a bad " + String.join(", ", missing));
    }
    return e;
  }
}
