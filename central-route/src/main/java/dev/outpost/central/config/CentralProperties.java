package dev.outpost.central.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings under {@code outpost.*}; see application.yml for the environment variables. */
@ConfigurationProperties("outpost")
public record CentralProperties(
    Path dataDir,
    Db db,
    Broker broker,
    Ingest ingest,
    boolean demoData,
    String profile,
    Enrollment enrollment) {

  /** {@code OUTPOST_PROFILE=prod}: sandbox defaults are refused (see ProductionGuard). */
  public boolean production() {
    return "prod".equalsIgnoreCase(profile);
  }

  /** PostgreSQL: external when {@code url} is set, else embedded on {@code embeddedPort}. */
  public record Db(String url, String user, String password, int embeddedPort) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  /** Artemis: external when {@code url} is set, else embedded with a CORE acceptor. */
  public record Broker(
      String url,
      String host,
      int port,
      String user,
      String password,
      String inVmId,
      String clusterPassword,
      Tls tls) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  /**
   * The terminal acceptor's certificate: your own PKCS#12 key store (and the PEM of the CA that
   * signed it, for enrollment files), or, when {@code keyStore} is empty, one made from a local CA
   * under {@code <data-dir>/tls} for the names in {@code names}.
   */
  public record Tls(String keyStore, String keyStorePassword, String caFile, List<String> names) {
    public boolean own() {
      return keyStore != null && !keyStore.isBlank();
    }
  }

  /**
   * What enrollment files tell terminals: central's broker and HTTP as a terminal reaches them, and
   * the terminals central enrolls by itself in the local sandbox.
   */
  public record Enrollment(String brokerUrl, String httpUrl, List<String> sandboxTerminals) {}

  public record Ingest(
      int consumers,
      int batchSize,
      Duration retryMaxBackoff,
      int faultHaltAfterCommits,
      int laneHoldDeliveries) {}
}
