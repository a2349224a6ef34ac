package dev.outpost.edge.config;

import dev.outpost.broker.tls.LocalCertificates;
import dev.outpost.contracts.Destinations;
import dev.outpost.contracts.TerminalIds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The {@code outpost.*} settings of application.yml, checked once at start-up. */
@ConfigurationProperties("outpost")
public record EdgeProperties(
    String terminalId,
    Path dataDir,
    Central central,
    Ingest ingest,
    Broker broker,
    Receipts receipts) {

  public EdgeProperties {
    if (!TerminalIds.isValid(terminalId)) {
      // Fail start-up loudly: the id ends up in broker addresses and central's security rules.
      throw new IllegalStateException(
          "outpost.terminal-id (OUTPOST_TERMINAL_ID) must be lower-case letters, digits and '-', "
              + "1-63 chars, starting with a letter or digit; got: '"
              + terminalId
              + "'");
    }
    if (dataDir == null) {
      throw new IllegalStateException("outpost.data-dir (OUTPOST_DATA_DIR) must be set");
    }
    if (central == null || central.brokerUrl() == null || central.brokerUrl().isBlank()) {
      throw new IllegalStateException(
          "outpost.central.broker-url (OUTPOST_CENTRAL_URL) must be set");
    }
    ingest =
        ingest == null
            ? new Ingest(65536, 10, Duration.ofMinutes(15), Instant.parse("2020-01-01T00:00:00Z"))
            : ingest;
    broker = broker == null ? new Broker("0") : broker;
    String expectedQueue = Destinations.receipts(terminalId);
    if (receipts == null || !expectedQueue.equals(receipts.queue())) {
      throw new IllegalStateException(
          "outpost.receipts.queue must be "
              + expectedQueue
              + " (it is derived from the terminal id)");
    }
  }

  /** Central's broker; {@code caFile} set (by the enrollment) means TLS with host verification. */
  public record Central(
      String brokerUrl,
      String user,
      String password,
      String caFile,
      @DefaultValue("5000") long recoveryIntervalMs) {

    /**
     * Every link to central (the bridges, the receipt consumer) pings this often and is dropped by
     * central after this long silent: a cut terminal shows offline within it.
     */
    public static final long LINK_CHECK_PERIOD_MS = 5_000;

    public static final long LINK_TTL_MS = 20_000;

    /**
     * The URL the bridge and the receipt consumer dial: TLS parameters added when there is a CA,
     * and the link's liveness ({@link #LINK_CHECK_PERIOD_MS}, {@link #LINK_TTL_MS}, which the
     * bridges get too) unless the URL sets its own.
     */
    public String linkUrl() {
      String url = brokerUrl;
      if (!url.contains("clientFailureCheckPeriod") && !url.contains("connectionTTL")) {
        url +=
            (url.contains("?") ? ";" : "?")
                + "clientFailureCheckPeriod="
                + LINK_CHECK_PERIOD_MS
                + ";connectionTTL="
                + LINK_TTL_MS;
      }
      if (caFile == null || caFile.isBlank() || url.contains("sslEnabled")) {
        return url;
      }
      return url + ";" + LocalCertificates.clientParameters(Path.of(caFile));
    }
  }

  /**
   * {@code maxClockAhead}/{@code earliestOccurredAt}: the clock policy. An occurredAt further ahead
   * of central's clock as measured (the terminal's own before a first measurement; see {@code
   * CentralClock}), or before the earliest instant (a clock that was never set), is refused (400):
   * a wrong POS clock is caught while the person is still at the till, not weeks later at central.
   * Late facts are accepted however late: an offline week is normal.
   */
  public record Ingest(
      @DefaultValue("65536") int maxBodyBytes,
      @DefaultValue("10") int pendingAlertThreshold,
      @DefaultValue("15m") Duration maxClockAhead,
      @DefaultValue("2020-01-01T00:00:00Z") Instant earliestOccurredAt) {}

  public record Broker(@DefaultValue("0") String inVmId) {}

  public record Receipts(String queue) {}

  public Path derbyDir() {
    return dataDir.resolve("derby");
  }

  public Path brokerDir() {
    return dataDir.resolve("broker");
  }
}
