package dev.outpost.console.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code outpost.console.ops.*}: where central's admin API is (its base URL, no path). */
@ConfigurationProperties("outpost.console.ops")
public record OpsSettings(String centralApiUrl) {
  public OpsSettings {
    centralApiUrl =
        centralApiUrl == null || centralApiUrl.isBlank() ? "http://127.0.0.1:8080" : centralApiUrl;
  }
}
