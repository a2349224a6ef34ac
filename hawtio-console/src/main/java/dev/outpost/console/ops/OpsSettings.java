package dev.outpost.console.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code outpost.console.ops.*}: where central's admin API is (its base URL, no path), and how
 * often an open fleet page's feed reads the fleet from it.
 */
@ConfigurationProperties("outpost.console.ops")
public record OpsSettings(String centralApiUrl, Duration fleetRefresh) {
  public OpsSettings {
    centralApiUrl =
        centralApiUrl == null || centralApiUrl.isBlank() ? "http://127.0.0.1:8080" : centralApiUrl;
    fleetRefresh =
        fleetRefresh == null || fleetRefresh.isNegative() || fleetRefresh.isZero()
            ? Duration.ofSeconds(2)
            : fleetRefresh;
  }
}
