package dev.outpost.central.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings under {@code outpost.*}; see application.yml for the environment variables. */
@ConfigurationProperties("outpost")
public record CentralProperties(Path dataDir, Db db, Broker broker, Ingest ingest, boolean demoData) {

  /** PostgreSQL: external when {@code url} is set, else embedded on {@code embeddedPort}. */
  public record Db(String url, String user, String password, int embeddedPort) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  /** Artemis: external when {@code url} is set, else embedded with a CORE acceptor. */
  public record Broker(String url, String host, int port, String user, String password, String inVmId) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  public record Ingest(
      int consumers,
      int batchSize,
      Duration retryMaxBackoff,
      int faultHaltAfterCommits) {}
}
