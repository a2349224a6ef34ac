package dev.outpost.central.imports;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code outpost.imports.*}: the watched drop folder (processed files move to its sibling {@code
 * done/} or {@code failed/}), operations per PostgreSQL transaction, and the size limit.
 */
@ConfigurationProperties("outpost.imports")
public record ImportSettings(Path inbox, int batchSize, long maxBytes) {
  public ImportSettings {
    batchSize = batchSize <= 0 ? 200 : batchSize;
    maxBytes = maxBytes <= 0 ? 256L * 1024 * 1024 : maxBytes;
  }

  public Path done() {
    return inbox.resolveSibling("done");
  }

  public Path failed() {
    return inbox.resolveSibling("failed");
  }
}
