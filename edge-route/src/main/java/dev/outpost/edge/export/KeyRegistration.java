package dev.outpost.edge.export;

import dev.outpost.contracts.Contracts;
import dev.outpost.edge.config.EdgeProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Registers the terminal's day-file key at central over the enrolled, authenticated link ({@code
 * PUT /api/v1/terminals/<self>/key} with the terminal's own login), so central trusts exactly this
 * key and no trust-on-first-use is left. Done once after each enrollment; a marker under {@code
 * keys/} remembers it.
 */
@Component
public class KeyRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRegistration.class);
  private final TerminalKeys keys;
  private final String terminalId;
  private final String centralUrl;
  private final String authorization;
  private final Path marker;
  private final Path enrollment;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile boolean warned;

  public KeyRegistration(
      TerminalKeys keys,
      EdgeProperties props,
      @Value("${outpost.central.http-url:http://127.0.0.1:8080}") String centralUrl,
      @Value("${outpost.central.http-user:}") String user,
      @Value("${outpost.central.http-password:}") String password) {
    this.keys = keys;
    this.terminalId = props.terminalId();
    this.centralUrl = centralUrl.replaceAll("/+$", "");
    this.authorization =
        terminalId.equals(user)
            ? "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
            : null;
    this.marker = props.dataDir().resolve("keys").resolve("registered-at-central");
    this.enrollment = props.dataDir().resolve("enrollment.json");
  }

  /** True once central holds this terminal's key for its current enrollment. */
  public boolean registered() {
    try {
      return Files.exists(marker)
          && (!Files.exists(enrollment)
              || !Files.getLastModifiedTime(marker)
                  .toInstant()
                  .isBefore(Files.getLastModifiedTime(enrollment).toInstant()));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Tries once; the route calls it again until it succeeds. */
  public void registerIfNeeded() throws Exception {
    if (authorization == null || registered()) {
      return;
    }
    String body =
        Contracts.mapper().writeValueAsString(Map.of("publicKey", keys.publicKeyBase64()));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(centralUrl + "/api/v1/terminals/" + terminalId + "/key"))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> res;
    try {
      res = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      LOG.debug("Central not reachable for the key registration yet: {}", e.toString());
      return;
    }
    if (res.statusCode() == 200) {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, keys.fingerprint() + "\n", StandardCharsets.US_ASCII);
      LOG.info("Day-file key {} registered at central", keys.fingerprint());
    } else if (!warned) {
      warned = true;
      LOG.warn(
          "Central refused this terminal's day-file key ({}: {}); retrying",
          res.statusCode(),
          res.body());
    }
  }
}
